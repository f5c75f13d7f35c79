// English mode is complete (issue 17 §4): with the demo registry loaded and the page switched to
// English, no screen shows a Chinese character or full-width punctuation except in the office's
// own data. The demo's data (every string of src/domain/demo.json and the Chinese text demo.rs
// writes) is taken out of each screen's text first; whatever CJK is left came from the app.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, open, settled, OUT } from './harness.mjs';

const DIST = process.env.DIST_DIR || 'dist';
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

// The demo's own words: every string in demo.json, and demo.rs's Chinese literals split at their
// `{}` holes.
function demoWords() {
  const words = new Set();
  const walk = (v) => {
    // The app shows parts of some (a plan's steps split at its dashes, a list at its commas).
    if (typeof v === 'string') for (const sep of ['—', '→', '、', '，', ',', '；', ';', '|', '/', '']) for (const w of sep ? v.split(sep) : [v]) words.add(w.trim());
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(JSON.parse(fs.readFileSync('src/domain/demo.json', 'utf8')));
  for (const m of fs.readFileSync('src/domain/demo.rs', 'utf8').matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) {
    for (const piece of m[1].split(/\{[^}]*\}/)) if (CJK.test(piece)) words.add(piece);
  }
  return [...words].filter((w) => CJK.test(w)).sort((a, b) => b.length - a.length);
}

let srv, browser;
test.before(async () => { srv = await serve(DIST); browser = await launch(); });
test.after(async () => { await browser?.close(); srv?.server.close(); });

test('every screen in English shows no Chinese outside the office data', async () => {
  const words = demoWords();
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await page.click('header button.lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  const left = [];
  const scan = async (name) => {
    await settled(page);
    // What a reader sees of the app: text, placeholders, titles, labels and options. Not the
    // values in boxes (the office's data as stored or typed), the logo's 改 (a mark, not a
    // word) nor the language switch, which names Chinese in Chinese.
    let text = await page.evaluate(() => {
      const parts = [document.title, document.body.innerText];
      for (const e of document.querySelectorAll('[placeholder], [title], [aria-label]')) parts.push(e.getAttribute('placeholder') || '', e.getAttribute('title') || '', e.getAttribute('aria-label') || '');
      for (const o of document.querySelectorAll('option')) parts.push(o.textContent);
      return [parts.join('\n'), [...document.querySelectorAll('header .logo, header button.lang')].map((e) => e.innerText)];
    });
    let marks;
    [text, marks] = text;
    const office = (await page.textContent('.brand-office').catch(() => '')) || '';
    for (const w of [office.trim(), ...words, ...marks]) if (w) text = text.split(w).join(' ');
    const found = [...text.matchAll(new RegExp(`.{0,12}${CJK.source}+.{0,12}`, 'g'))].map((m) => m[0].replace(/\s+/g, ' ').trim());
    const unique = [...new Set(found)];
    console.log(`english: ${name.padEnd(24)} ${unique.length} leftover(s)`);
    for (const f of unique.slice(0, 40)) console.log(`english:   ${f}`);
    left.push(...unique.map((f) => `${name}: ${f}`));
  };

  await page.waitForSelector('[data-test=load-demo]');
  await scan('setup');
  await page.click('[data-test=load-demo]');
  await page.waitForSelector('[data-test=count-total]');
  const item = await page.getAttribute('[data-test=item-row] a', 'href');
  const screens = ['#/', '#/new', item, `${item}/edit`, '#/org', '#/dispatch', '#/supervision', '#/scoring', '#/reviews', '#/bulletin', '#/exchange', '#/known', '#/conflicts', '#/trash', '#/settings'];
  for (const s of screens) {
    await page.goto(srv.url + s);
    await scan(s.replace(/[A-Za-z0-9:_-]{12,}/, '…'));
  }
  await page.screenshot({ path: path.join(OUT, 'english-last-screen.png') });
  assert.deepEqual(left, [], 'Chinese left in English mode');
  assert.deepEqual(errors, []);
  await ctx.close();
});

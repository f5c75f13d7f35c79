// Printed lists (issue 17 §5): the registry list, the month's dispatch table and the supervision
// notices print as documents: the office's head, a title and the date, page numbers, no form
// controls, and no column squeezed to a character per line. Checked in print media and by
// rendering page.pdf to PNG.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, demoIn, open, setUpOffice, OUT } from './harness.mjs';

const DIST = process.env.DIST_DIR || 'dist';
const CITY = process.env.CITY_TOOL || path.resolve('target/release/examples/city');
let srv, browser;
test.before(async () => { srv = await serve(DIST); browser = await launch(); });
test.after(async () => { await browser?.close(); srv?.server.close(); });

// What print media shows of the page: visible controls, the head's text, and table headers that
// break over more than two lines.
async function printed(page) {
  await page.emulateMedia({ media: 'print' });
  const r = await page.evaluate(() => {
    const shown = (e) => { const s = getComputedStyle(e); const b = e.getBoundingClientRect(); return s.display !== 'none' && s.visibility !== 'hidden' && b.width > 0 && b.height > 0; };
    const controls = [...document.querySelectorAll('main input, main select, main textarea, main button')].filter(shown).map((e) => e.outerHTML.slice(0, 80));
    const head = [...document.querySelectorAll('[data-test=print-head]')].filter(shown).map((e) => e.innerText.replace(/\s+/g, ' ').trim());
    // Lines a cell's text takes: the distinct tops of its text's boxes.
    const lines = (c) => {
      const tops = new Set();
      const w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        const r = document.createRange();
        r.selectNodeContents(n);
        for (const b of r.getClientRects()) if (b.width > 0) tops.add(Math.round(b.top / 4));
      }
      return tops.size;
    };
    const squeezed = [...document.querySelectorAll('main table th, main table td:not(.c-title):not(.wrap)')].filter(shown)
      .filter((c) => c.innerText.trim().length > 2 && lines(c) > 2).map((c) => `${c.innerText.trim()} (${lines(c)} lines)`);
    return { controls, head, squeezed };
  });
  await page.emulateMedia({ media: null }); // back to the default: page.pdf prints in print media
  return r;
}

test('the registry list, the dispatch table and the notices print as documents', async () => {
  const { ctx, page, errors } = await demoIn(browser, srv.url);
  const office = (await page.textContent('.brand-office')).trim();
  // A notice, so the supervision list has a row.
  await page.goto(srv.url + '#/supervision');
  await page.click('[data-test=proposal] [data-test=draft-notice]');
  await page.click('[data-test=issue-notice]');
  await page.waitForSelector('[data-test=notice-paper]');
  for (const [name, hash, row, title] of [['list', '#/', 'item-row', /改革事项台账/], ['dispatch', '#/dispatch', 'dispatch-row', /\d{4}年\d{1,2}月 · 月度调度/], ['notices', '#/supervision', 'notice-row', /已签发通知/]]) {
    await page.goto(srv.url + hash);
    await page.waitForSelector(`[data-test=${row}]`);
    const p = await printed(page);
    assert.deepEqual(p.controls, [], `${name}: no form controls on paper`);
    assert.equal(p.head.length, 1, `${name}: one print head`);
    assert.ok(p.head[0].includes(office), `${name}: the office heads it: ${p.head[0]}`);
    assert.match(p.head[0], title, name);
    assert.match(p.head[0], /\d{4}年\d{1,2}月\d{1,2}日/, `${name}: the date printed`);
    assert.deepEqual(p.squeezed, [], `${name}: no column squeezed`);
    const pdf = path.join(OUT, `print-${name}.pdf`);
    await page.pdf({ path: pdf, preferCSSPageSize: true }); // the page's own @page: A4, its margins and their page numbers
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, path.join(OUT, `print-${name}`)]);
    // Page numbers are drawn by the print style on every page: "1 / N" on the first.
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-']).toString();
    assert.match(text, /\b1\s*\/\s*\d+\b/, `${name}: page number on page 1`);
  }
  assert.deepEqual(errors, []);
  await ctx.close();
});

// The screen shows a long table a page (200 rows) at a time; paper gets every row. A city's file
// of 260 items (examples/city: "第N号改革任务…", one dispatch row each).
test('a registry longer than a screen page prints every item, and so does the month', async () => {
  const N = 260;
  const file = path.join(OUT, `city-${N}.reform.json`);
  execFileSync(CITY, [String(N), file], { stdio: 'inherit' });
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  await open(page, srv.url);
  await setUpOffice(page, '德州市委改革办');
  await page.goto(srv.url + '#/exchange');
  await page.setInputFiles('[data-test=import-file]', file);
  await page.click('[data-test=apply-import]', { timeout: 60000 });
  await page.waitForSelector('[data-test=import-done]', { timeout: 60000 });
  const numbers = (text) => new Set([...text.matchAll(/第(\d+)号/g)].map((m) => Number(m[1])));
  for (const [name, hash, row] of [['list', '#/', 'item-row'], ['dispatch', '#/dispatch', 'dispatch-row']]) {
    await page.goto(srv.url + hash);
    await page.waitForSelector(`[data-test=${row}]`);
    assert.equal(await page.locator(`[data-test=${row}]`).count(), 200, `${name}: a page of rows on screen`);
    const pdf = path.join(OUT, `print-${name}-long.pdf`);
    await page.pdf({ path: pdf, preferCSSPageSize: true });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    const seen = numbers(text);
    const missing = [...Array(N).keys()].filter((n) => !seen.has(n));
    assert.deepEqual(missing, [], `${name}: every item on paper`);
    // Back on screen after printing: a page of rows again.
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 200, `[data-test=${row}]`);
  }
  await ctx.close();
});

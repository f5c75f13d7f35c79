// Shared pieces for the browser tests: a static server for dist/ and Debian's Chromium.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.resolve(process.env.TOOLS_DIR || 'tools', 'package.json'));
export const { chromium } = require('playwright-core');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json' };

// `precompressed`: answer as a host set up by the README does, with the .br or .gz file the
// build wrote beside each file (whichever the browser accepts) and long caching for hashed names.
export function serve(dir, { precompressed = false } = {}) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (p.endsWith('/')) p += 'index.html';
      let file = path.join(dir, path.normalize(p));
      if (!file.startsWith(path.resolve(dir)) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
      const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' };
      if (precompressed) {
        const accepts = String(req.headers['accept-encoding'] || '');
        for (const [enc, ext] of [['br', '.br'], ['gzip', '.gz']]) {
          if (accepts.includes(enc) && fs.existsSync(file + ext)) {
            file += ext;
            headers['content-encoding'] = enc;
            break;
          }
        }
        headers.vary = 'Accept-Encoding';
        headers['cache-control'] = /-[0-9a-f]{16}[._]/.test(p) ? 'public, max-age=31536000, immutable' : 'no-cache';
      }
      res.writeHead(200, headers);
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

export async function launch(extra = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extra],
  });
}

export const OUT = path.resolve(process.env.E2E_OUT || 'tests/e2e/out');
fs.mkdirSync(OUT, { recursive: true });

// Opens the app and waits until the wasm has started.
export async function open(page, url) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  // The app's own header (the app shell in index.html has no .header-right).
  await page.waitForSelector('header.header .header-right', { timeout: 60000 });
  return errors;
}

// Fills the item page's risk review (all four findings); `high` marks social-stability risk high
// and records the decision to proceed with its reason.
export async function riskReview(page, { high = false, reason = '' } = {}) {
  await page.click('[data-test=edit-risk]');
  for (const k of ['feasibility', 'legality', 'stability', 'opinion']) {
    await page.fill(`input[name=rv_${k}_finding]`, '经论证风险可控');
    await page.fill(`input[name=rv_${k}_reviewer]`, '县司法局');
  }
  if (high) {
    await page.selectOption('select[name=rv_stability_level]', 'high');
    await page.check('input[name=rv_proceed]');
    await page.fill('input[name=rv_reason]', reason);
  }
  await page.click('[data-test=save-risk]');
  await page.waitForSelector('[data-test=risk-summary]');
}

// First run: creates the office and waits for the empty registry.
export async function setUpOffice(page, name) {
  await page.fill('input[name=office_name]', name);
  await page.click('[data-test=create-office]');
  await page.waitForSelector('[data-test=count-total]');
}

// Exports from the exchange page (optionally for one receiver, optionally a delta); saves the
// download under OUT as `file` and returns its path and suggested name.
export async function exportAs(page, url, file, receiver, delta) {
  await page.goto(url + '#/exchange');
  await page.waitForSelector('[data-test=export]');
  if (receiver) await page.selectOption('select[name=receiver]', { label: receiver });
  if (delta) await page.check('[data-test=export-delta]');
  await noteWorkers(page);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')]);
  const p = path.join(OUT, file);
  await dl.saveAs(p);
  // Made in the exchange worker, which is ended once the file is handed over.
  await workerEnded(page);
  return { path: p, name: dl.suggestedFilename() };
}

// Reads a file on the exchange page and waits for its preview, refusal or "nothing new".
export async function importInto(page, url, p) {
  await page.goto(url + '#/exchange');
  await page.waitForSelector('[data-test=import-file]');
  await noteWorkers(page);
  await page.setInputFiles('[data-test=import-file]', p);
  await page.waitForSelector('[data-test=import-preview], [data-test=import-error], [data-test=import-done]');
}

// Waits until the screen is drawn: the registry whole (no "still loading" notice) and no
// animation frame pending.
export async function settled(page) {
  await page.waitForSelector('main');
  await page.waitForFunction(() => !document.querySelector('[data-test=history-loading]'));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 150))));
}

// A new browser profile with the demo registry loaded (the screens' audits and the print check).
export async function demoIn(browser, url, width = 1366) {
  const ctx = await browser.newContext({ viewport: { width, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, url);
  await page.click('[data-test=load-demo]');
  await page.waitForSelector('[data-test=count-total]');
  return { ctx, page, errors };
}

// An item taken through risk review to 推进中, with one milestone and the given deadline.
export async function approvedItemAt(page, url, title, unit, deadline) {
  await page.goto(url + '#/new');
  await page.fill('input[name=title]', title);
  await page.fill('input[name=lead_unit]', unit);
  await page.fill('input[name=deadline]', deadline);
  await page.fill('input[name=ms_title]', '制定方案');
  await saveItem(page);
  await riskReview(page);
  for (const s of ['已风险评估', '深改委审定', '推进中']) {
    await page.click(`[data-test=transition]:has-text("${s}")`);
    if (s === '深改委审定') await meeting(page);
    await page.click('[data-test=confirm-transition]');
    await page.waitForFunction((s) => document.querySelector('[data-test=item-status]').textContent === s, s);
  }
}

// A new browser profile with an office set up in it.
export async function officeIn(browser, url, name, width = 1366) {
  const ctx = await browser.newContext({ viewport: { width, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, url);
  await setUpOffice(page, name);
  return { ctx, page, errors };
}

// Types a new item and presses save (the caller waits for what it expects).
export async function typeItem(page, url, title) {
  await page.goto(url + '#/new');
  await page.fill('input[name=title]', title);
  await page.fill('input[name=lead_unit]', '县人社局');
  await page.click('[data-test=save-item]');
  // A unit not yet on file is added when the user confirms (a read-only tab refuses instead).
  await page.waitForSelector('[data-test=item-title], [data-test=add-names], [data-test=form-error]');
  if (await page.locator('[data-test=add-names]').count()) await page.click('[data-test=add-names]');
}

// 深改委审定 records the meeting that approved the item.
export async function meeting(page, name = '县委全面深化改革委员会第3次会议', date = '2026-01-20', no = '县深改委〔2026〕3号') {
  await page.fill('input[name=meeting]', name);
  await page.fill('input[name=meeting_date]', date);
  await page.fill('input[name=meeting_no]', no);
}

// Saves the item form and waits for the item page; names not yet on file are confirmed.
export async function saveItem(page) {
  await page.click('[data-test=save-item]');
  await page.waitForSelector('[data-test=item-title], [data-test=add-names]');
  if (await page.locator('[data-test=add-names]').count()) {
    await page.click('[data-test=add-names]');
    await page.waitForSelector('[data-test=item-title]');
  }
}

// A new item, saved and stored.
export async function addItemAt(page, url, title) {
  await typeItem(page, url, title);
  await page.waitForSelector('[data-test=item-title]');
  await page.waitForSelector('.save.ok');
}

// The registry list's titles, sorted.
export async function titlesAt(page, url) {
  await page.goto(url + '#/');
  await page.waitForSelector('[data-test=count-total]');
  return (await page.locator('[data-test=item-row] .c-title a').allTextContents()).sort();
}

// Reads a file, applies its preview and waits until it is stored.
export async function applyFileAt(page, url, p) {
  await importInto(page, url, p);
  await page.click('[data-test=apply-import]');
  await page.waitForSelector('[data-test=import-done]');
  await page.waitForSelector('.save.ok');
  await workerEnded(page);
}

const exchangeWorkers = (page) => page.workers().filter((w) => w.url().includes('exchange_loader'));

// The exchange page starts a worker ahead, which the next import or export takes: noted here
// just before the task begins (`workerEnded` then checks that this worker has ended).
export async function noteWorkers(page) {
  for (let i = 0; i < 150 && exchangeWorkers(page).length !== 1; i++) await page.waitForTimeout(20);
  page.__taken = exchangeWorkers(page);
  if (page.__taken.length !== 1) throw new Error(`the exchange page runs ${page.__taken.length} workers ahead, not one`);
}

// The exchange worker is ended once its import or export is over: it holds the file's memory.
// The workers noted before the task have ended, and at most one (started ahead for the next
// task) runs; without a note (the page was left), none runs.
export async function workerEnded(page) {
  const taken = page.__taken;
  page.__taken = undefined;
  const over = () => (taken ? exchangeWorkers(page).some((w) => taken.includes(w)) || exchangeWorkers(page).length > 1 : exchangeWorkers(page).length > 0);
  for (let i = 0; i < 100 && over(); i++) await page.waitForTimeout(20);
  if (over()) throw new Error('the exchange worker still runs after its import or export is over');
}

// Types a month's figures into the scoring grid: unit → [actual, target, level, late tasks, bonus
// events], then saves.
export async function enterMonth(page, month, rows) {
  await page.selectOption('select[name=month]', String(month));
  for (const [unit, [actual, target, level, overdue, bonus]] of Object.entries(rows)) {
    const row = page.locator(`[data-test=figure-row][data-subject="${unit}"]`);
    await row.locator('input[name=actual]').fill(String(actual));
    await row.locator('input[name=target]').fill(String(target));
    await row.locator('select[name=level]').selectOption(level);
    const counts = row.locator('input[name=count]');
    await counts.nth(0).fill(String(overdue));
    await counts.nth(1).fill(String(bonus));
  }
  await page.click('[data-test=save-figures]');
}

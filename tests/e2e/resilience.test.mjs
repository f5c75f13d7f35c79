// A full storage quota loses nothing; the app (and its spreadsheet worker) keeps working offline after the first visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, open, setUpOffice, OUT, saveItem, exportAs } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

// Waits until the active service worker holds a file ending in `suffix` (polled: caching is
// asynchronous).
async function cachedBySw(page, suffix, message) {
  const cached = () => page.evaluate(async (suffix) => {
    const reg = await navigator.serviceWorker.getRegistration();
    if (!reg || !reg.active) return false;
    for (const k of await caches.keys()) {
      if ((await (await caches.open(k)).keys()).some((r) => r.url.endsWith(suffix))) return true;
    }
    return false;
  }, suffix);
  for (let i = 0; !(await cached()); i++) {
    assert.ok(i < 120, message);
    await page.waitForTimeout(500);
  }
}

async function newItem(page, title) {
  await page.click('[data-test=new-item]');
  await page.fill('input[name=title]', title);
  await page.fill('input[name=lead_unit]', '县教育局');
  await saveItem(page);
}

test('a full storage quota keeps the edit on the page and saves it later', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '红安县委改革办');
  // The browser now refuses every write as if the disk were full.
  await page.evaluate(() => {
    window.__put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  await newItem(page, '义务教育教师“县管校聘”改革');
  await page.waitForSelector('[data-test=storage-error]');
  const msg = await page.textContent('[data-test=storage-error]');
  assert.match(msg, /保存到浏览器存储失败：浏览器存储空间已满/);
  assert.match(msg, /仍保留在本页/);
  assert.match(await page.textContent('.save.bad'), /未保存 \(2\)/, 'the item and the unit it added');
  assert.equal(await page.textContent('[data-test=item-title]'), '义务教育教师“县管校聘”改革', 'the edit is still shown');
  await page.screenshot({ path: path.join(OUT, 'quota.png') });
  // Storage still refuses: the export file is made on the page, with the edit storage has not
  // taken (the exchange worker would read storage only). It is how the data gets out then.
  await page.goto(srv.url + '#/exchange');
  await page.waitForSelector('[data-test=export]');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')]);
  assert.match(fs.readFileSync(await dl.path(), 'utf8'), /县管校聘/, 'the unsaved item is in the file');
  assert.match(await page.textContent('.save.bad'), /未保存 \(2\)/, 'and it is still kept here to be saved');
  await page.goBack();
  await page.waitForSelector('[data-test=edit-item]');
  // Space is freed; the next save writes both the old and the new change.
  await page.evaluate(() => { IDBObjectStore.prototype.put = window.__put; });
  await page.click('[data-test=edit-item]');
  await page.fill('textarea[name=goal]', '推进教师县管校聘');
  await page.click('[data-test=save-item]');
  await page.waitForSelector('.save.ok');
  await page.reload();
  await page.waitForSelector('[data-test=item-title]');
  assert.match(await page.textContent('.item-grid'), /推进教师县管校聘/);
  assert.ok(errors.every((e) => /quota/i.test(e)), errors.join('\n'));
  await ctx.close();
});

// A page open across an update may start an exchange worker of the new version (or the old):
// one that speaks another protocol is not given a task. The export is made in the page; the
// import says it could not start and changes nothing.
test('an exchange worker of another version is not used', async () => {
  const from = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const a = await from.newPage();
  await open(a, srv.url);
  await setUpOffice(a, '开江县委改革办');
  await newItem(a, '开江县“一件事”改革');
  await a.waitForSelector('.save.ok');
  const file = await exportAs(a, srv.url, 'other-version.reform.json');
  await from.close();

  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, serviceWorkers: 'block' });
  let started = 0;
  await ctx.route(/exchange_loader\.js$/, (route) => {
    started++;
    route.fulfill({ contentType: 'text/javascript', body: `postMessage([JSON.stringify({ Ready: { protocol: 1 } }), 1]);` });
  });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '达州市委改革办');
  await page.goto(srv.url + '#/exchange');
  await page.waitForSelector('[data-test=export]');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')]);
  const text = fs.readFileSync(await dl.path(), 'utf8');
  assert.match(text, /达州市委改革办/, 'made in the page');
  assert.ok(started >= 1, 'the page did try a worker');
  await page.setInputFiles('[data-test=import-file]', file.path);
  await page.waitForSelector('[data-test=import-error]');
  assert.match(await page.textContent('[data-test=import-error]'), /导入程序未能启动或中途停止，台账未作任何改动/);
  assert.equal(await page.$('[data-test=import-preview]'), null);
  await page.goto(srv.url + '#/');
  await page.waitForSelector('[data-test=count-total]');
  assert.equal((await page.textContent('[data-test=count-total]')).trim(), '0', 'nothing imported');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('after the first visit the app opens offline with its data', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  await open(page, srv.url);
  await page.click('[data-test=load-demo]');
  await page.waitForSelector('[data-test=item-row]');
  const total = await page.textContent('[data-test=count-total]');
  await page.waitForSelector('.save.ok'); // the demo is in IndexedDB
  await cachedBySw(page, '.wasm', 'service worker never cached the app');
  await ctx.setOffline(true);
  await page.reload();
  await page.waitForSelector('[data-test=item-row]', { timeout: 60000 });
  assert.equal(await page.textContent('[data-test=count-total]'), total);
  await ctx.close();
});

// The spreadsheet worker is kept by the service worker too: after the first visit, an Excel 台账
// is read with the network gone.
test('offline, an Excel 台账 is still read and previewed', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '平原县委改革办');
  await cachedBySw(page, 'reform-sheets_bg.wasm', 'service worker never cached the spreadsheet worker');
  await ctx.setOffline(true);
  await page.reload();
  await page.waitForSelector('[data-test=count-total]', { timeout: 60000 });
  await page.goto(srv.url + '#/exchange');
  const fixtures = path.resolve(process.env.FIXTURES || 'tests/e2e/out/fixtures');
  await page.setInputFiles('[data-test=import-file]', path.join(fixtures, '平原台账.xlsx'));
  await page.waitForSelector('[data-test=sheet-preview], [data-test=import-error]', { timeout: 60000 });
  assert.match(await page.textContent('[data-test=sheet-counts]'), /^新建4项/);
  assert.deepEqual(errors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED/.test(e)), []);
  await ctx.close();
});

// A new build is a new service worker (its build id names the cache): it replaces the old one,
// drops the old cache, and the open page says a new version is ready.
test('a new version is installed cleanly and announced', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-dist-'));
  fs.cpSync(DIST, copy, { recursive: true });
  const own = await serve(copy);
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, own.url);
  await cachedBySw(page, 'reform-sheets_bg.wasm', 'the first version never cached the worker files');
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  const cacheNames = () => page.evaluate(() => caches.keys());
  const [first] = await cacheNames();
  assert.match(first, /^reform-registry-[0-9a-f]{12}$/, 'the cache is named by the build');
  assert.equal(await page.$('#update-ready'), null, 'nothing to announce on a first visit');
  // The next build: another build id in sw.js.
  const sw = path.join(copy, 'sw.js');
  fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8').replace(/const BUILD = '[0-9a-f]{12}'/, "const BUILD = '0123456789ab'"));
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.waitForSelector('#update-ready', { timeout: 60000 });
  assert.match(await page.textContent('#update-ready'), /新版本/);
  await page.screenshot({ path: path.join(OUT, 'update-ready.png') });
  for (let i = 0; (await cacheNames()).includes(first); i++) {
    assert.ok(i < 60, 'the old cache is dropped');
    await page.waitForTimeout(250);
  }
  assert.deepEqual(await cacheNames(), ['reform-registry-0123456789ab']);
  await page.click('#update-ready button');
  await page.waitForSelector('header.header .header-right');
  assert.equal(await page.$('#update-ready'), null);
  assert.deepEqual(errors, []);
  await ctx.close();
  own.server.close();
  fs.rmSync(copy, { recursive: true, force: true });
});

test('the app shell shows the header, the office and 正在加载 before the wasm arrives', async () => {
  // No service worker: it would answer the wasm request from its cache, past the route below.
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  // A lone tab never shows the second-tab banner, not even for a frame while it asks for the
  // write lock (it did, and moved the whole page down and back: layout shift).
  await page.addInitScript(() => {
    window.__readOnlyShown = false;
    new MutationObserver(() => { if (document.querySelector('[data-test=read-only-tab]')) window.__readOnlyShown = true; })
      .observe(document, { childList: true, subtree: true });
  });
  await open(page, srv.url);
  await setUpOffice(page, '平原县委改革办');
  await page.waitForSelector('.save.ok');
  await page.reload();
  await page.waitForSelector('[data-test=count-total]');
  assert.equal(await page.evaluate(() => window.__readOnlyShown), false, 'no read-only banner in a lone tab');
  const appHeader = await page.$eval('header.header', (h) => h.getBoundingClientRect().height);
  // Next visit on a slow line: the wasm never arrives, so only the shell is drawn.
  await ctx.route(/\.wasm$/, () => {});
  const shell = await ctx.newPage();
  await shell.goto(srv.url, { waitUntil: 'domcontentloaded' });
  await shell.waitForSelector('#boot header.header');
  assert.equal((await shell.textContent('#boot-status')).trim(), '正在加载…');
  assert.equal((await shell.textContent('#boot-office')).trim(), '平原县委改革办', 'the office as the app last stored it');
  assert.equal(await shell.$eval('#boot header.header', (h) => getComputedStyle(h).backgroundColor), 'rgb(158, 27, 27)', 'styled by the stylesheet');
  assert.equal(await shell.$eval('#boot header.header', (h) => h.getBoundingClientRect().height), appHeader, 'the same height as the app header: nothing jumps');
  await shell.screenshot({ path: path.join(OUT, 'app-shell.png') });
  // In English when the reader last chose English.
  await shell.evaluate(() => localStorage.setItem('reform-registry.lang', '"En"'));
  await shell.reload({ waitUntil: 'domcontentloaded' });
  await shell.waitForSelector('#boot header.header');
  assert.equal((await shell.textContent('#boot-status')).trim(), 'Loading…');
  assert.equal(await shell.evaluate(() => document.documentElement.lang), 'en');
  await ctx.close();
});

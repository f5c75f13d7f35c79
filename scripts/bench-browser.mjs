// Browser benchmark for city scale (issue 16): the release build in headless Chromium with a
// 10-item registry and an N-item one (12 monthly reports each, from examples/city), in one run.
// Prints each figure with its ratio to the 10-item case; no figure is asserted (these machines
// are noisy: read the ratios). Usage: node scripts/bench-browser.mjs [ITEMS] (default 1000).
import path from 'node:path';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { serve, launch, open, setUpOffice } from '../tests/e2e/harness.mjs';

const ITEMS = Number(process.argv[2] || 1000);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DIST = path.resolve(process.env.DIST_DIR || path.join(ROOT, 'dist'));
const CITY = process.env.CITY_TOOL || path.join(ROOT, 'target/release/examples/city');
const OUT = path.join(ROOT, 'target/bench-browser');
fs.mkdirSync(OUT, { recursive: true });

// Long main-thread tasks, collected from the first script on.
// Trunk's loader hands over the wasm instance when the app has started: its linear memory is
// what the registry occupies (it grows and never shrinks; an import's own work is done in the
// exchange worker, whose memory is reported apart).
const LONG_TASKS = `addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; }); window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push({ d: e.duration, t: e.startTime }); }).observe({ type: 'longtask', buffered: true });`;
const longest = (page) => page.evaluate(() => { const m = Math.max(0, ...window.__long.map((x) => x.d)); window.__long = []; return m; });
// The tasks over 100 ms so far, each named by the app's last phase mark before it began.
const longOnes = (page) => page.evaluate(() => {
  const m = performance.getEntriesByType('mark').filter((e) => e.name.startsWith('rr:'));
  return window.__long.filter((x) => x.d > 100).map((x) => {
    const before = m.filter((e) => e.startTime <= x.t).pop();
    return `${Math.round(x.d)} ms after ${before ? before.name.slice(3) : 'start'}`;
  }).join('; ');
});
const since = (t) => Date.now() - t;
const wasmMb = (page) => page.evaluate(() => (window.__wasm ? window.__wasm.memory.buffer.byteLength / 1048576 : 0));
// The app's own phase marks (src/trace.rs) since the last call, as "name +ms" steps.
const phases = (page) => page.evaluate(() => {
  const m = performance.getEntriesByType('mark').filter((e) => e.name.startsWith('rr:'));
  performance.clearMarks();
  let prev = null;
  return m.map((e) => { const s = `${e.name.slice(3)} ${prev === null ? `@${Math.round(e.startTime)}` : `+${Math.round(e.startTime - prev)}`}${e.detail ? ` (${Math.round(e.detail)} MB)` : ''}`; prev = e.startTime; return s; }).join(', ');
});

async function measure(browser, url, file, n) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  await ctx.addInitScript(LONG_TASKS);
  const page = await ctx.newPage();
  await open(page, url);
  await setUpOffice(page, '德州市委改革办');
  const r = {};
  const text = fs.readFileSync(file, 'utf8');
  r.file_mb = text.length / 1048576;
  r.parse_floor_ms = await page.evaluate((t) => { const s = performance.now(); JSON.parse(t); return performance.now() - s; }, text);
  await page.evaluate(() => window.gc && window.gc());

  await page.goto(url + '#/exchange');
  await longest(page);
  await phases(page);
  let t = Date.now();
  await page.setInputFiles('[data-test=import-file]', file);
  await page.waitForSelector('[data-test=apply-import]', { timeout: 180000 });
  r.import_preview_ms = since(t);
  await page.click('[data-test=apply-import]');
  await page.waitForSelector('[data-test=import-done]', { timeout: 180000 });
  await page.waitForSelector('.save.ok', { timeout: 180000 });
  r.import_stored_ms = since(t);
  if (n > 10) console.log(`bench-browser: import tasks over 100 ms: ${await longOnes(page)}`);
  r.import_longest_task_ms = await longest(page);
  // The import runs in the exchange worker, ended after it: the page keeps only the registry it
  // read back. The worker's memory at its last reply is its peak (wasm memory never shrinks).
  r.import_wasm_memory_mb = await wasmMb(page);
  r.import_worker_peak_mb = await page.evaluate(() => Math.max(0, ...performance.getEntriesByName('rr:worker-reply').map((m) => m.detail || 0)));
  if (n > 10) console.log(`bench-browser: import phases: ${await phases(page)}`);

  // Cold start: the page opened afresh on the registry list.
  await page.goto(url + '#/');
  t = Date.now();
  await page.reload();
  await page.waitForSelector('[data-test=item-row]', { timeout: 180000 });
  r.cold_start_ms = since(t);
  // The same, by the page's own clock: when the list was painted (the rr:painted mark, set after
  // the frame that drew it). Playwright's own look can wait behind the history read that follows.
  r.cold_painted_ms = await page.evaluate((t0) => {
    const m = performance.getEntriesByName('rr:painted').pop();
    return m ? Math.round(performance.timeOrigin + m.startTime - t0) : -1;
  }, t);
  // The history (monthly reports) is read after the list is drawn; the other screens wait for it.
  await page.waitForSelector('[data-test=dashboard]', { timeout: 180000 });
  r.cold_whole_ms = since(t);
  if (n > 10) console.log(`bench-browser: start-up tasks over 100 ms: ${await longOnes(page)}`);
  r.cold_longest_task_ms = await longest(page);
  if (n > 10) console.log(`bench-browser: start-up phases (@ ms since the page opened): ${await phases(page)}`);
  r.wasm_memory_at_rest_mb = await wasmMb(page);
  r.js_heap_mb = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize / 1048576 : 0));

  for (const [name, hash, sel] of [['dispatch', '#/dispatch', '[data-test=dispatch-row]'], ['supervision', '#/supervision', '[data-test=manual-notice]'], ['list', '#/', '[data-test=item-row]']]) {
    t = Date.now();
    await page.goto(url + hash);
    await page.waitForSelector(sel, { timeout: 180000 });
    r[`open_${name}_ms`] = since(t);
    if (n > 10) console.log(`bench-browser: open ${name} phases: ${await phases(page)}`);
  }
  // The same opens by the page's own clock, without Playwright's round trips (most of the
  // 10-item figures above): from the link to the task after the frame that first shows a row
  // (_painted: a long table draws its first rows, then the rest of its page, `ui::Paging`), and
  // to the task after the next frame (_page_painted: the rest of the page drawn too).
  for (const [name, hash, sel] of [['dispatch', '#/dispatch', '[data-test=dispatch-row]'], ['supervision', '#/supervision', '[data-test=manual-notice]'], ['list', '#/', '[data-test=item-row]']]) {
    await page.goto(url + '#/exchange');
    await page.waitForSelector('[data-test=export]');
    const [first, whole] = await page.evaluate(async ([hash, sel]) => {
      const t0 = performance.now();
      location.hash = hash;
      // The timer is set in the frame that has the row, so it runs once that frame is painted.
      const first = await new Promise((res) => {
        const look = () => (document.querySelector(sel) ? setTimeout(() => res(performance.now() - t0), 0) : requestAnimationFrame(look));
        requestAnimationFrame(look);
      });
      await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
      return [first, performance.now() - t0];
    }, [hash, sel]);
    r[`open_${name}_painted_ms`] = Math.round(first * 10) / 10;
    r[`open_${name}_page_painted_ms`] = Math.round(whole * 10) / 10;
  }

  await page.goto(url + '#/exchange');
  await page.waitForSelector('[data-test=export]');
  await longest(page);
  t = Date.now();
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 180000 }), page.click('[data-test=export]')]);
  await dl.path();
  r.export_ms = since(t);
  // The file is made in the exchange worker: the page's tasks and memory stay small.
  r.export_longest_task_ms = await longest(page);
  r.export_wasm_memory_mb = await wasmMb(page);
  if (n > 10) console.log(`bench-browser: export phases: ${await phases(page)}`);

  // The imported items are the sending office's: this office creates one of its own, then edits it.
  await page.goto(url + '#/new');
  await page.fill('input[name=title]', `德州市营商环境改革 ${n}`);
  await page.fill('input[name=lead_unit]', '市发改委');
  await page.click('[data-test=save-item]');
  await page.click('[data-test=add-names]');
  await page.waitForSelector('[data-test=item-title]');
  await page.waitForSelector('.save.ok');
  await page.click('[data-test=edit-item]');
  await page.fill('textarea[name=goal]', `调整后的目标 ${n}`);
  t = Date.now();
  await page.click('[data-test=save-item]');
  await page.waitForSelector('[data-test=item-title]');
  await page.waitForSelector('.save.ok');
  r.save_one_edit_ms = since(t);
  await ctx.close();
  return r;
}

const { server, url } = await serve(DIST);
// gc exposed: the parse floor's own garbage (a 42 MB file parsed in JS) is collected before
// the import is measured, not during it.
const browser = await launch(['--js-flags=--expose-gc']);
const files = {};
for (const n of [10, ITEMS]) {
  files[n] = path.join(OUT, `city-${n}.reform.json`);
  execFileSync(CITY, [String(n), files[n]], { stdio: 'inherit' });
}
try {
  const small = await measure(browser, url, files[10], 10);
  const big = await measure(browser, url, files[ITEMS], ITEMS);
  console.log(`bench-browser: ${ITEMS} items against 10 (ratio = ${ITEMS} / 10), same browser run`);
  for (const k of Object.keys(big)) {
    const ratio = small[k] ? (big[k] / small[k]).toFixed(1) + 'x' : '—';
    console.log(`bench-browser: ${k.padEnd(24)} ${String(Math.round(small[k] * 10) / 10).padStart(9)} ${String(Math.round(big[k] * 10) / 10).padStart(11)}  ${ratio}`);
  }
  console.log(`bench-browser: import stored / JSON.parse floor ${(big.import_stored_ms / Math.max(1, big.parse_floor_ms)).toFixed(1)}x; export ${(big.export_ms / Math.max(1, big.parse_floor_ms)).toFixed(1)}x the floor`);
} finally {
  await browser.close();
  server.close();
}

// Lighthouse on the release build (issue 17): a first visit served as the README tells hosts to
// serve it (precompressed .br/.gz), in Debian's headless Chromium with Lighthouse's mobile
// defaults (simulated slow 4G and a 4× slower CPU). Prints the performance, accessibility and
// best-practices scores, the metrics behind the first, and what the visit transferred; writes
// the full report to tests/e2e/out/lighthouse.html. Figures only: nothing is asserted (scores
// move with the machine). Usage: node scripts/lighthouse.mjs
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { serve, OUT } from '../tests/e2e/harness.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const TOOLS = path.resolve(process.env.TOOLS_DIR || path.join(ROOT, 'tools'));
const DIST = path.resolve(process.env.DIST_DIR || path.join(ROOT, 'dist'));
const require = createRequire(path.join(TOOLS, 'package.json'));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);
const { default: lighthouse } = await load('lighthouse');
const chromeLauncher = await load('chrome-launcher');

const srv = await serve(DIST, { precompressed: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-'));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
  userDataDir: profile,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  // A first visit: an empty profile, so the office set-up screen.
  const result = await lighthouse(srv.url, {
    port: chrome.port,
    output: 'html',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices'],
  });
  const { lhr, report } = result;
  fs.writeFileSync(path.join(OUT, 'lighthouse.html'), report);
  const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
  const metric = (id) => lhr.audits[id]?.displayValue ?? '?';
  const bytes = lhr.audits['total-byte-weight']?.numericValue ?? 0;
  console.log(`lighthouse ${lhr.lighthouseVersion}, ${lhr.configSettings.formFactor}, Chromium ${lhr.environment.hostUserAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? '?'}`);
  console.log(`lighthouse: performance ${score('performance')}, accessibility ${score('accessibility')}, best practices ${score('best-practices')} (target ≥ 95 each)`);
  console.log(`lighthouse metrics: FCP ${metric('first-contentful-paint')}, LCP ${metric('largest-contentful-paint')}, TBT ${metric('total-blocking-time')}, CLS ${metric('cumulative-layout-shift')}, Speed Index ${metric('speed-index')}; transferred ${Math.round(bytes / 1024)} KB`);
  // What kept a category under 100, so the next person knows where to look.
  for (const c of ['performance', 'accessibility', 'best-practices']) {
    const misses = lhr.categories[c].auditRefs
      .filter((r) => r.weight > 0 && lhr.audits[r.id].score !== null && lhr.audits[r.id].score < 0.9)
      .map((r) => `${r.id} (${lhr.audits[r.id].displayValue || Math.round(lhr.audits[r.id].score * 100)})`);
    if (misses.length) console.log(`lighthouse ${c} below 90: ${misses.join(', ')}`);
  }
} finally {
  await chrome.kill();
  srv.server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

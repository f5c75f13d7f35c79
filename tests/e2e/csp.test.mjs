// The page runs under its Content-Security-Policy (scripts only from the site and Trunk's hashed
// loader, no inline script of ours): every screen opens with no violation reported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, open } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

test('every screen runs under the Content-Security-Policy with no violation', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const errors = await open(page, srv.url);
  const policy = await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content');
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(policy, /unsafe-inline'[^;]*;.*script-src|script-src[^;]*unsafe-inline/);
  await page.click('[data-test=load-demo]');
  await page.waitForSelector('[data-test=count-total]');
  for (const r of ['#/', '#/dispatch', '#/supervision', '#/scoring', '#/reviews', '#/bulletin', '#/exchange', '#/org', '#/settings']) {
    await page.goto(srv.url + r);
    await page.waitForSelector('main.main section, main.main .card');
  }
  await page.goto(srv.url + '#/');
  await page.click('[data-test=item-row] a');
  await page.waitForSelector('[data-test=item-title]');
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(errors.filter((e) => /Content Security Policy|Refused to/.test(e)), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

// Accessibility audit (issue 17): axe-core (pinned in tools/package.json) over every screen with
// the demo registry loaded, in Chinese and in English, at 1366×768. The test fails on any serious
// or critical violation (and on a screen without one h1 or with a heading level skipped) and
// prints every screen's counts by impact; then it walks the skip link by keyboard.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serve, launch, open, demoIn, settled, OUT } from './harness.mjs';

const require = createRequire(path.resolve(process.env.TOOLS_DIR || 'tools', 'package.json'));
const AXE = require.resolve('axe-core/axe.min.js');
const DIST = process.env.DIST_DIR || 'dist';

let srv, browser;
test.before(async () => { srv = await serve(DIST); browser = await launch(); });
test.after(async () => { await browser?.close(); srv?.server.close(); });

// Runs axe on the page as it is and returns its violations (rule, impact, how many nodes, the
// first node's selector and axe's summary of what is wrong there).
async function audit(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, first: v.nodes[0]?.target.join(' '), why: v.nodes[0]?.failureSummary?.split('\n')[1]?.trim() }));
  });
}

test('every screen passes axe with no serious or critical violation, in Chinese and English', async () => {
  // bypassCSP: axe is injected as an inline script, which the page's policy rightly refuses.
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  const found = [];
  const check = async (name) => {
    await settled(page);
    const v = await audit(page);
    const by = (i) => v.filter((x) => x.impact === i).reduce((n, x) => n + x.nodes, 0);
    console.log(`a11y: ${name.padEnd(24)} critical ${by('critical')} serious ${by('serious')} moderate ${by('moderate')} minor ${by('minor')}`);
    for (const x of v) console.log(`a11y:   (${x.impact}) ${x.id} ×${x.nodes} at ${x.first}`);
    // Serious and critical fail the test, and so do the heading rules (one h1 a screen, no level
    // skipped), which axe calls moderate.
    for (const x of v.filter((x) => x.impact === 'serious' || x.impact === 'critical' || x.id === 'page-has-heading-one' || x.id === 'heading-order')) {
      console.log(`a11y:   ${x.impact} ${x.id} ×${x.nodes} at ${x.first}: ${x.why}`);
      found.push(`${name}: ${x.impact} ${x.id} at ${x.first}`);
    }
  };

  await page.waitForSelector('[data-test=load-demo]');
  await check('setup');
  await page.click('[data-test=load-demo]');
  await page.waitForSelector('[data-test=count-total]');
  // An item page, its form, and an acceptance report (the demo has items accepted).
  const item = await page.getAttribute('[data-test=item-row] a', 'href');
  const all = await page.locator('[data-test=item-row]').count();
  await page.selectOption('select[name=status]', 'accepted');
  await page.waitForFunction((n) => { const k = document.querySelectorAll('[data-test=item-row]').length; return k > 0 && k < n; }, all);
  await page.goto(srv.url + await page.getAttribute('[data-test=item-row] a', 'href'));
  const report = await page.getAttribute('[data-test=acceptance-report-link]', 'href');
  const screens = ['#/', '#/new', item, `${item}/edit`, '#/org', '#/dispatch', '#/supervision', '#/scoring', '#/reviews', '#/bulletin', '#/exchange', '#/known', '#/conflicts', '#/trash', '#/settings'];
  screens.push(report);
  for (const lang of ['zh', 'en']) {
    if (lang === 'en') await page.click('header button.lang');
    for (const s of screens) {
      await page.goto(srv.url + s);
      await check(`${lang} ${s.replace(/[A-Za-z0-9:_-]{12,}/, '…')}`);
    }
  }
  // A notice as printed: issue one from the first proposal.
  await page.goto(srv.url + '#/supervision');
  await page.click('[data-test=proposal] [data-test=draft-notice]');
  await page.click('[data-test=issue-notice]');
  await page.waitForSelector('[data-test=notice-paper]');
  await check('en notice');
  // The dialog that asks before a deletion, open.
  await page.goto(srv.url + item);
  await page.click('[data-test=delete-item]');
  await page.waitForSelector('[data-test=confirm-dialog][open]');
  await check('en delete dialog');
  await page.keyboard.press('Escape');
  await page.screenshot({ path: path.join(OUT, 'a11y-last-screen.png') });
  // From the list, the first Tab reaches 跳到正文 and Enter puts the focus in the content: the
  // next Tab is the screen's first control, not the header's links.
  await page.goto(srv.url + '#/');
  await settled(page);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.test), 'skip-link');
  await page.screenshot({ path: path.join(OUT, 'a11y-skip-link.png'), clip: { x: 0, y: 0, width: 600, height: 120 } });
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => !document.activeElement.closest('header') && !!document.activeElement.closest('main')), 'the next stop is in the content');
  assert.deepEqual(found, [], 'serious or critical accessibility violations');
  assert.deepEqual(errors, []);
  await ctx.close();
});

// The header and its navigation fit at 1024 and 1366 px in both languages: nothing runs off the
// page and no link breaks over two lines (at 1024 the navigation takes its own row).
test('the header fits at 1024 and 1366 px in Chinese and English', async () => {
  for (const width of [1024, 1366]) {
    const { ctx, page, errors } = await demoIn(browser, srv.url, width);
    for (const lang of ['zh', 'en']) {
      if (lang === 'en') await page.click('header button.lang');
      await page.waitForFunction((l) => document.documentElement.lang.startsWith(l), lang);
      const r = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        broken: [...document.querySelectorAll('header .nav-link, header .brand-name, header button')]
          .filter((e) => e.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(e).lineHeight || '20') + 20 || e.getClientRects().length > 1)
          .map((e) => e.textContent),
        right: Math.max(...[...document.querySelectorAll('header *')].map((e) => e.getBoundingClientRect().right)),
      }));
      assert.equal(r.overflow, 0, `${width} ${lang}: the page is wider than the window`);
      assert.ok(r.right <= width, `${width} ${lang}: the header runs to ${r.right}`);
      assert.deepEqual(r.broken, [], `${width} ${lang}: header items broken over lines`);
      await page.screenshot({ path: path.join(OUT, `header-${width}-${lang}.png`), clip: { x: 0, y: 0, width, height: 110 } });
    }
    assert.deepEqual(errors, []);
    await ctx.close();
  }
});

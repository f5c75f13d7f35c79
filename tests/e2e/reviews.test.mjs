// Reviews: proposed → risk-reviewed (one high risk with a recorded decision) → approved → in
// progress → completed → accepted with a five-expert panel; the acceptance report printed to PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, open, setUpOffice, OUT, riskReview, saveItem, meeting } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

async function move(page, to, ok = true) {
  await page.click(`[data-test=transition]:has-text("${to}")`);
  if (to === '深改委审定') await meeting(page);
  await page.click('[data-test=confirm-transition]');
  if (ok) await page.waitForFunction((s) => document.querySelector('[data-test=item-status]').textContent === s, to);
}

test('an item goes all the way to accepted and its report prints', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '开江县委改革办');
  await page.goto(srv.url + '#/new');
  await page.fill('input[name=title]', '心通桥“网络理政”平台');
  await page.fill('input[name=lead_unit]', '县委网信办');
  await page.fill('input[name=deadline]', '2030-12-31');
  await page.click('[data-test=add-indicator]');
  await page.fill('input[name=ind_name]', '受理网民诉求');
  await page.fill('input[name=ind_target]', '100');
  await page.fill('input[name=ind_actual]', '118');
  await page.fill('input[name=ind_unit]', '件');
  await saveItem(page);

  // High social-stability risk: approval needs the recorded decision.
  await riskReview(page, { high: false });
  await move(page, '已风险评估');
  await page.click('[data-test=edit-risk]');
  await page.selectOption('select[name=rv_stability_level]', 'high');
  await page.click('[data-test=save-risk]');
  await page.waitForFunction(() => document.querySelector('[data-test=risk-overall]')?.textContent === '高');
  await move(page, '深改委审定', false);
  await page.waitForSelector('.side .field-error');
  assert.match(await page.textContent('.side .field-error'), /综合风险等级为高/);
  await page.click('[data-test=edit-risk]');
  await page.check('input[name=rv_proceed]');
  await page.fill('input[name=rv_reason]', '已制定维稳预案，风险可控，同意实施');
  await page.click('[data-test=save-risk]');
  await page.waitForFunction(() => document.querySelector('[data-test=risk-card]').textContent.includes('已制定维稳预案'));
  await move(page, '深改委审定');
  await move(page, '推进中');
  await move(page, '完成销号');

  // Acceptance with five experts: bad input first (a score over the maximum), then the panel.
  await page.waitForSelector('[data-test=acceptance-card]');
  for (let i = 0; i < 2; i++) await page.click('[data-test=add-expert]');
  const panel = [[22, 31, 18, 18], [21, 30, 17, 18], [23, 33, 18, 19], [20, 29, 16, 17], [24, 34, 19, 19]];
  const rows = page.locator('[data-test=expert-row]');
  for (let n = 0; n < 5; n++) {
    await rows.nth(n).locator('input[name=expert_name]').fill(`专家${n + 1}`);
    const cells = rows.nth(n).locator('input[name=expert_score]');
    for (let c = 0; c < 4; c++) await cells.nth(c).fill(String(panel[n][c]));
  }
  await rows.nth(0).locator('input[name=expert_score]').nth(0).fill('26');
  await page.fill('input[name=satisfied]', '168');
  await page.fill('input[name=basic]', '27');
  await page.fill('input[name=dissatisfied]', '5');
  await page.fill('input[name=respondents]', '200');
  await page.click('[data-test=evaluate-acceptance]');
  assert.equal(await page.textContent('[data-test=acceptance-error]'), '“专家1”的“创新性”评分须在0到25.00之间');
  await rows.nth(0).locator('input[name=expert_score]').nth(0).fill('22');
  await page.click('[data-test=evaluate-acceptance]');
  await page.waitForSelector('[data-test=acceptance-result]');
  // Totals 89, 86, 93, 82, 96 → drop 96 and 82 → 89.33; satisfaction 97.5; outcomes 100
  // → 89.33 × 40 % + 97.5 × 30 % + 100 × 30 % = 35.73 + 29.25 + 30 = 94.98 → 优秀.
  assert.match(await page.textContent('[data-test=acceptance-result]'), /94\.98 · 优秀/);
  // Passing acceptance moves the item to 已验收 by itself.
  await page.waitForFunction(() => document.querySelector('[data-test=item-status]').textContent === '已验收');
  await page.click('[data-test=acceptance-report-link]');
  await page.waitForSelector('[data-test=acceptance-report]');
  assert.doesNotMatch(await page.textContent('[data-test=acceptance-report]'), /\d{4}-\d{2}-\d{2}/, 'one date style in print');
  assert.match(await page.textContent('[data-test=acceptance-report]'), /一、.*二、.*三、.*四、/s);
  assert.equal(await page.textContent('[data-test=report-grade]'), '优秀');
  await page.screenshot({ path: path.join(OUT, 'acceptance-report.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: path.join(OUT, 'acceptance.pdf'), format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path.join(OUT, 'acceptance.pdf'), path.join(OUT, 'acceptance-pdf')]);
  assert.deepEqual(errors, []);
  await ctx.close();
});

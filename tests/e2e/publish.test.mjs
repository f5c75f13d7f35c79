// Publishing a month (issue 13): October is ranked and published in November; the plan is made
// stricter in November; October stays as published until a person re-scores it, with a reason,
// and the old result stays on record. The bulletin prints with its 文号 and publication date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, open, setUpOffice, enterMonth, OUT } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });


const totals = (page) => page.locator('[data-test=rank-row]').evaluateAll((rows) => rows.map((r) => `${r.children[2].textContent} ${r.children[3].textContent}`));

async function editDeduction(page, perEvent, from) {
  await page.click('[data-test=edit-plan]');
  await page.locator('input[name=ind_param]').nth(2).fill(String(perEvent));
  if (from) await page.selectOption('select[name=from_month]', String(from));
  await page.click('[data-test=save-plan]');
  await page.waitForSelector('[data-test=save-plan]', { state: 'detached' });
}

test('October published stays as published after the plan changes, until re-scored on record', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  // November 5th: October is over and can be published.
  await ctx.clock.setFixedTime(new Date('2026-11-05T10:00:00'));
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '淄博市委改革办');
  await page.goto(srv.url + '#/scoring');
  await page.click('[data-test=new-plan]');
  await page.fill('textarea[name=subjects]', '张店区\n淄川区');
  await page.click('[data-test=save-plan]');
  await page.waitForSelector('[data-test=figures]');

  // October: 张店区 3 late tasks × 2 points → 94.00; 淄川区 76.00.
  await enterMonth(page, 10, { 张店区: [12, 12, '好', 3, 0], 淄川区: [9, 12, '一般', 1, 0] });
  await page.waitForSelector('[data-test=rank-row]');
  assert.deepEqual(await totals(page), ['张店区 94.00', '淄川区 76.00']);
  // The running month cannot be published yet; October can.
  await page.click('[data-test=publish]');
  await page.waitForSelector('[data-test=published]');
  assert.match(await page.textContent('[data-test=published]'), /改革办通〔2026〕1号，2026年11月5日/);

  // In November the deduction becomes 5 points per late task, from November on (the default).
  await editDeduction(page, 5);
  await page.selectOption('select[name=month]', '10');
  await page.waitForSelector('[data-test=published]');
  assert.deepEqual(await totals(page), ['张店区 94.00', '淄川区 76.00'], 'October keeps its plan version');
  assert.equal(await page.locator('[data-test=rescore]').count(), 0, 'nothing to re-score');
  await enterMonth(page, 11, { 张店区: [12, 12, '好', 3, 0], 淄川区: [9, 12, '一般', 1, 0] });
  await page.waitForFunction(() => document.querySelector('[data-test=rank-row] td:nth-child(4)')?.textContent === '85.00');

  // The office decides the new rule counts from October: October still shows what was published,
  // beside what a re-score would give.
  await editDeduction(page, 5, 10);
  await page.selectOption('select[name=month]', '10');
  await page.waitForSelector('[data-test=rescore-table]');
  assert.deepEqual(await totals(page), ['张店区 94.00', '淄川区 76.00'], 'published results never change silently');
  assert.deepEqual(await page.locator('[data-test=rescore-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.textContent)), [
    '张店区94.00（1）85.00（1）', '淄川区76.00（2）73.00（2）',
  ]);
  await page.screenshot({ path: path.join(OUT, 'rescore-1366.png'), fullPage: true });
  // A re-score needs a reason.
  await page.click('[data-test=do-rescore]');
  assert.equal(await page.textContent('[data-test=publish-msg]'), '请填写“重新评分的理由”');
  assert.deepEqual(await totals(page), ['张店区 94.00', '淄川区 76.00']);
  await page.fill('input[name=rescore_reason]', '市深改委决定扣分标准自10月起执行');
  await page.click('[data-test=do-rescore]');
  await page.waitForSelector('[data-test=rescores]');
  assert.deepEqual(await totals(page), ['张店区 85.00', '淄川区 73.00']);
  assert.match(await page.textContent('[data-test=rescores]'), /2026年11月5日，.*重新评分：市深改委决定扣分标准自10月起执行.*张店区 94\.00/);
  assert.equal(await page.locator('[data-test=rescore]').count(), 0);

  // The ranking prints with the office's head, the 文号 and the publication date.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.textContent('[data-test=ranking-number]'), '改革办通〔2026〕1号');
  assert.equal(await page.textContent('[data-test=ranking-date]'), '2026年11月5日');
  await page.pdf({ path: path.join(OUT, 'ranking-published.pdf'), format: 'A4', printBackground: true });
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path.join(OUT, 'ranking-published.pdf'), path.join(OUT, 'ranking-published-pdf')]);
  await page.emulateMedia({ media: 'screen' });

  // The bulletin for October: the published one, re-scored, numbered sections, dated by its publication.
  await page.goto(srv.url + '#/bulletin');
  await page.waitForSelector('[data-test=bulletin-number]');
  assert.equal(await page.textContent('[data-test=bulletin-number]'), '改革办通〔2026〕1号');
  assert.equal(await page.textContent('[data-test=bulletin-date]'), '2026年11月5日');
  assert.match(await page.textContent('[data-test=bulletin-ranking]'), /张店区85\.00/);
  const heads = await page.locator('[data-test=bulletin] h2').allTextContents();
  const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
  assert.deepEqual(heads.map((h) => h.split('、')[0]), numerals.slice(0, heads.length), heads.join(' | '));
  for (const [w, h] of [[1366, 768], [1024, 768]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: path.join(OUT, `bulletin-${w}.png`), fullPage: true });
  }
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: path.join(OUT, 'bulletin.pdf'), format: 'A4', printBackground: true });
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path.join(OUT, 'bulletin.pdf'), path.join(OUT, 'bulletin-pdf')]);
  await page.emulateMedia({ media: 'screen' });
  // November is still running: its bulletin is a draft.
  await page.selectOption('select[name=month]', '2026-11');
  await page.waitForSelector('[data-test=draft]');
  assert.equal(await page.textContent('[data-test=bulletin-date]'), '草稿（未发布）');
  // English.
  await page.click('button.lang');
  await page.selectOption('select[name=month]', '2026-10');
  await page.waitForSelector('[data-test=bulletin-number]');
  assert.equal(await page.textContent('[data-test=bulletin-date]'), '5 November 2026');
  await page.screenshot({ path: path.join(OUT, 'bulletin-en-1024.png'), fullPage: true });
  await page.click('button.lang');
  assert.deepEqual(errors, []);
  await ctx.close();
});

// 红安: special groups carry a weight set in 组织架构; units blend their group's points, groups are
// ranked in their own table, and a unit's explanation adds up to its total.
test('special groups: weights from the organisation, their own table, explanations that add up', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await ctx.clock.setFixedTime(new Date('2026-11-05T10:00:00'));
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '红安县委改革办');
  await page.goto(srv.url + '#/org');
  const addGroup = async (name, weight) => {
    await page.fill('input[aria-label=专项小组名称]', name);
    await page.fill('input[aria-label="考核权重（%）"]', weight);
    await page.locator('form.inline-form').first().locator('button[type=submit]').click();
  };
  await addGroup('社会事业组', '40');
  await page.waitForSelector('[data-test=group-total-warn]');
  // Together more than 100 % is refused.
  await addGroup('经济体制组', '70');
  assert.match(await page.textContent('.org-page .field-error'), /专项小组权重合计将为110\.00%，不能超过100%/);
  await page.fill('input[aria-label="考核权重（%）"]', '60');
  await page.locator('form.inline-form').first().locator('button[type=submit]').click();
  await page.waitForSelector('[data-test=group-total-warn]', { state: 'detached' });
  assert.equal((await page.textContent('[data-test=group-total]')).trim(), 'Σ 100%');

  await page.goto(srv.url + '#/scoring');
  await page.click('[data-test=new-plan]');
  await page.fill('textarea[name=subjects]', '县教育局 | 社会事业组\n县卫健局 | 社会事业组\n县发改局 | 经济体制组');
  await page.click('[data-test=save-plan]');
  await page.waitForSelector('[data-test=figures]');
  await enterMonth(page, 10, {
    县教育局: [12, 12, '好', 0, 1], // own 100, + bonus 1
    县卫健局: [9, 12, '较好', 1, 0], // 30+24+18+10 = 82
    县发改局: [6, 12, '一般', 0, 0], // 20+18+20+10 = 68
    社会事业组: [6, 12, '差', 4, 0], // 20+10+12+10 = 52
    经济体制组: [12, 12, '好', 0, 0], // 100
  });
  await page.waitForSelector('[data-test=group-rank-row]');
  // 县教育局 100 × 60 % + 52 × 40 % = 80.80 + 1; 县发改局 68 × 40 % + 100 × 60 % = 87.20; 县卫健局 82 × 60 % + 52 × 40 % = 70.00.
  assert.deepEqual(await totals(page), ['县发改局 87.20', '县教育局 81.80', '县卫健局 70.00']);
  assert.deepEqual(await page.locator('[data-test=group-rank-row]').evaluateAll((rows) => rows.map((r) => `${r.children[0].textContent} ${r.children[2].textContent} ${r.children[3].textContent}`)), [
    '1 经济体制组 100.00', '2 社会事业组 52.00',
  ]);
  await page.click('[data-test=rank-row]:has-text("县教育局")');
  await page.waitForSelector('[data-test=explain-blend]');
  assert.equal(await page.textContent('[data-test=explain-own]'), '100.00');
  assert.match(await page.textContent('[data-test=explain-blend]'), /社会事业组.*52\.00.*100\.00 × 60% \+ 52\.00 × 40%.*80\.80/);
  assert.equal(await page.textContent('[data-test=explain-total]'), '81.80');
  await page.screenshot({ path: path.join(OUT, 'groups-1366.png'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: path.join(OUT, 'groups-1024.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});

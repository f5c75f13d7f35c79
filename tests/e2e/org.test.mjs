// 组织架构 as records (issue 15): 红安's 13 special groups with weights and 18 leading officials,
// picked from lists in the item form; a misspelt unit refused, merged, and a retired leader.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, open, setUpOffice, OUT } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const GROUPS = ['经济体制改革组', '营商环境组', '农业农村改革组', '社会事业改革组', '生态文明改革组', '民主法制改革组', '文化体制改革组',
  '党的建设制度改革组', '纪律检查体制改革组', '国资国企改革组', '医药卫生体制改革组', '教育综合改革组', '平安建设改革组'];

// The row of the unit whose current name is `name` (a merged unit's row also mentions the kept one).
const unitRow = (page, name) => page.locator('[data-test=unit-row]', { has: page.locator('td:first-child', { hasText: new RegExp('^' + name) }) });

async function addGroup(page, name, weight) {
  await page.fill('[data-test=group-name]', name);
  await page.fill('[data-test=group-weight]', String(weight));
  await page.click('[data-test=group-add]');
}

test('红安: 13 groups with weights, 18 leaders picked from lists, a typo merged, a leader retired', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '红安县委改革办');
  await page.goto(srv.url + '#/org');

  // 13 groups: twelve at 7 % and one at 16 % make 100 %.
  for (const [n, g] of GROUPS.entries()) await addGroup(page, g, n === 0 ? 16 : 7);
  await page.waitForFunction(() => document.querySelectorAll('[data-test=groups] tbody tr').length === 13);
  assert.equal(await page.textContent('[data-test=group-total]'), ' Σ 100%');
  assert.equal(await page.locator('[data-test=group-total-warn]').count(), 0);
  // A fourteenth would take the total over 100 %: refused, nothing added.
  await addGroup(page, '机构编制改革组', 5);
  await page.waitForSelector('.card:has([data-test=groups]) [role=alert]');
  assert.match(await page.textContent('.card:has([data-test=groups]) [role=alert]'), /100/);
  assert.equal(await page.locator('[data-test=groups] tbody tr').count(), 13);

  // 18 county leaders.
  for (let n = 1; n <= 18; n++) {
    await page.fill('[data-test=official-name]', `县领导${n}`);
    await page.fill('[data-test=official-post]', n <= 3 ? '县委常委' : '副县长');
    await page.click('[data-test=official-add]');
  }
  await page.waitForFunction(() => document.querySelector('[data-test=official-count]')?.textContent.trim() === '18');

  // Units, one in a group, and a misspelt duplicate.
  for (const u of ['县教育局', '县教肓局', '县发改局']) {
    await page.fill('[data-test=unit-name]', u);
    if (u === '县教育局') await page.selectOption('[data-test=unit-group]', { label: '教育综合改革组' });
    else await page.selectOption('[data-test=unit-group]', '');
    await page.click('[data-test=unit-add]');
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-test=unit-row]').length === 3);
  assert.match(await page.textContent('[data-test=groups] tbody tr:has-text("教育综合改革组")'), /县教育局/, 'the group lists its unit');
  await page.screenshot({ path: path.join(OUT, 'org-1366.png'), fullPage: true });

  // The item form offers exactly the records on file; a pick saves without asking.
  await page.goto(srv.url + '#/new');
  assert.equal(await page.locator('#officials-list option').count(), 18);
  assert.equal(await page.locator('#units-list option').count(), 3);
  assert.equal(await page.locator('select[name=special_group] option').count(), 14, '13 groups and none');
  await page.fill('input[name=title]', '县域义务教育优质均衡改革');
  await page.fill('input[name=lead_unit]', '县教肓局');
  await page.fill('input[name=leading_official]', '县领导3');
  await page.selectOption('select[name=special_group]', { label: '教育综合改革组' });
  await page.click('[data-test=save-item]');
  await page.waitForSelector('[data-test=item-title]');
  const itemUrl = page.url();
  // An unknown name is refused, named, and nothing is saved unless confirmed.
  await page.goto(srv.url + '#/new');
  await page.fill('input[name=title]', '校园食品安全改革');
  await page.fill('input[name=lead_unit]', '县教育厅');
  await page.click('[data-test=save-item]');
  await page.waitForSelector('[data-test=add-names]');
  assert.match(await page.textContent('[data-test=form-error]'), /县教育厅 不在组织架构名录中/);
  await page.goto(srv.url + '#/');
  await page.waitForSelector('[data-test=count-total]');
  assert.equal(await page.locator('[data-test=item-row]').count(), 1, 'nothing saved');

  // Merge the typo: suggested, previewed, confirmed; the item now names 县教育局.
  await page.goto(srv.url + '#/org');
  await page.waitForSelector('[data-test=similar]');
  assert.match(await page.textContent('[data-test=similar]'), /县教育局 \/ 县教肓局|县教肓局 \/ 县教育局/);
  await page.selectOption('[data-test=merge-from]', { label: '县教肓局' });
  await page.selectOption('[data-test=merge-into]', { label: '县教育局' });
  assert.match(await page.textContent('[data-test=merge-preview]'), /改写本机构 1 项事项/);
  await page.click('[data-test=merge]');
  await page.click('[data-test=merge-confirm]');
  await page.waitForSelector('[data-test=merge-msg]');
  assert.match(await page.textContent('[data-test=merge-msg]'), /已合并：改写 1 项事项/);
  assert.match(await unitRow(page, '县教育局').textContent(), /曾用名：县教肓局/);
  await page.goto(itemUrl);
  await page.waitForSelector('[data-test=item-title]');
  assert.match(await page.textContent('.item-grid'), /县教育局/);
  assert.doesNotMatch(await page.textContent('.item-grid'), /县教肓局/);

  // A referenced unit cannot be deleted; a leader retired is no longer offered or accepted.
  await page.goto(srv.url + '#/org');
  await unitRow(page, '县教育局').locator('[data-test=org-delete]').click();
  await page.waitForSelector('[data-test=org-error]');
  assert.match(await page.textContent('[data-test=org-error]'), /不能删除；可改为停用/);
  await page.click('[data-test=official-row]:has-text("县领导18") [data-test=org-retire]');
  await page.waitForSelector('[data-test=official-row]:has-text("县领导18") [data-test=org-restore]');
  await page.goto(srv.url + '#/new');
  assert.equal(await page.locator('#officials-list option').count(), 17);
  await page.fill('input[name=title]', '农村宅基地改革');
  await page.fill('input[name=lead_unit]', '县发改局');
  await page.fill('input[name=leading_official]', '县领导18');
  await page.click('[data-test=save-item]');
  await page.waitForSelector('[data-test=form-error]');
  assert.match(await page.textContent('[data-test=form-error]'), /“县领导18”已停用/);

  // A rename is carried to the items.
  await page.goto(srv.url + '#/org');
  await unitRow(page, '县教育局').locator('[data-test=org-edit]').click();
  await page.fill('[data-test=edit-name]', '县教育和体育局');
  await page.click('[data-test=org-save]');
  await page.waitForSelector('[data-test=unit-row]:has-text("县教育和体育局")');
  await page.screenshot({ path: path.join(OUT, 'org-after-1366.png'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: path.join(OUT, 'org-1024.png'), fullPage: true });
  await page.goto(itemUrl);
  await page.waitForSelector('[data-test=item-title]');
  assert.match(await page.textContent('.item-grid'), /县教育和体育局/);
  // In English, the organisation and reviews pages speak English around the user's data.
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.click('button.lang');
  await page.goto(srv.url + '#/org');
  await page.waitForSelector('[data-test=merge-card]');
  assert.match(await page.textContent('[data-test=merge-card] h2'), /Merge duplicates/);
  await page.screenshot({ path: path.join(OUT, 'org-en-1366.png'), fullPage: true });
  await page.goto(srv.url + '#/reviews');
  await page.waitForSelector('[data-test=rules-form]');
  assert.match(await page.textContent('[data-test=rules-form] h2'), /This office's rules/);
  await page.screenshot({ path: path.join(OUT, 'reviews-en-1366.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
});

// The monthly cycle: file reports, see the overdue item turn red, accept the proposed urging
// notice, print it to PDF, record its reply, open the bulletin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, open, setUpOffice, OUT, riskReview, approvedItemAt } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const iso = (d) => d.toISOString().slice(0, 10);

const approvedItem = (page, title, unit, deadline) => approvedItemAt(page, srv.url, title, unit, deadline);

test('dispatch, overdue, urging notice printed, reply, bulletin', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '平原县委改革办');
  const now = new Date();
  await approvedItem(page, '扩大农村劳动力就业集成改革试点', '县人社局', iso(new Date(now.getTime() + 200 * 864e5)));
  await approvedItem(page, '城市精细化管理', '县城市管理局', iso(new Date(now.getTime() - 10 * 864e5)));
  // The serial pattern of this office.
  await page.goto(srv.url + '#/supervision');
  await page.fill('input[name=serial_pattern]', '平改办督〔{year}〕{n}号');
  await page.fill('input[name=reminder_days]', '-3');
  await page.dispatchEvent('input[name=reminder_days]', 'change');
  await page.click('[data-test=save-rules]');
  assert.equal(await page.textContent('[data-test=rules-msg]'), '天数须为0到3650之间的整数');
  await page.fill('input[name=reminder_days]', '7');
  await page.dispatchEvent('input[name=reminder_days]', 'change');
  await page.click('[data-test=save-rules]');
  await page.waitForFunction(() => document.querySelector('[data-test=rules-msg]')?.textContent === '已保存');

  // Dispatch: the overdue item is red; file the other one's report (bad input first).
  await page.goto(srv.url + '#/dispatch');
  await page.waitForSelector('[data-test=dispatch-row]');
  const overdueRow = page.locator('[data-test=dispatch-row]', { hasText: '城市精细化管理' });
  assert.equal(await overdueRow.locator('[data-test=month-status]').textContent(), '逾期');
  assert.equal(await overdueRow.locator('.ms-chip').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(217, 45, 32)');
  const row = page.locator('[data-test=dispatch-row]', { hasText: '就业集成改革' });
  assert.equal(await row.locator('[data-test=month-status]').textContent(), '未报（未逾期）');
  await row.locator('input[name=percent]').fill('一半');
  await row.locator('input[name=done]').fill('完成试点方案起草');
  await row.locator('[data-test=file-report]').click();
  assert.match(await row.locator('.field-error').textContent(), /须为数字/);
  await row.locator('input[name=percent]').fill('40');
  await row.locator('select[name=milestone]').selectOption('制定方案');
  await row.locator('input[name=done]').press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test=dispatch-row]')].some((r) => r.textContent.includes('就业集成改革') && r.textContent.includes('40%') && r.textContent.includes('✓ 制定方案')));
  assert.equal(await row.locator('[data-test=month-status]').textContent(), '按期推进');
  await page.screenshot({ path: path.join(OUT, 'dispatch.png') });

  // Supervision: the rules propose an urging notice for the overdue item; a person issues it.
  await page.goto(srv.url + '#/supervision');
  const prop = page.locator('[data-test=proposal]', { hasText: '城市精细化管理' });
  assert.match(await prop.textContent(), /催办单.*县城市管理局.*已逾期10天/);
  await prop.locator('[data-test=draft-notice]').click();
  assert.match(await page.inputValue('textarea[name=requirement]'), /城市精细化管理.*已逾期10天/);
  await page.click('[data-test=issue-notice]');
  await page.waitForSelector('[data-test=notice-paper]');
  assert.equal(await page.textContent('[data-test=notice-number]'), `平改办督〔${now.getFullYear()}〕1号`);
  await page.screenshot({ path: path.join(OUT, 'notice.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: path.join(OUT, 'notice.pdf'), format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path.join(OUT, 'notice.pdf'), path.join(OUT, 'notice-pdf')]);
  // A reply dated before the notice is refused; a proper one is recorded.
  await page.fill('textarea[name=reply]', '已制定整改方案');
  await page.fill('input[name=replied_on]', iso(new Date(now.getTime() - 5 * 864e5)));
  await page.click('[data-test=save-reply]');
  assert.equal(await page.textContent('[data-test=notice-error]'), '回复日期不能早于通知签发日期');
  await page.fill('input[name=replied_on]', iso(now));
  await page.click('[data-test=save-reply]');
  await page.waitForSelector('.paper-reply');
  // One date style in print: 2026年11月25日, never 2026-11-25.
  assert.doesNotMatch(await page.textContent('[data-test=notice-paper]'), /\d{4}-\d{2}-\d{2}/);
  assert.match(await page.textContent('[data-test=notice-paper]'), /\d{4}年\d{1,2}月\d{1,2}日/);
  // Once issued, the same notice is not proposed again this month.
  await page.goto(srv.url + '#/supervision');
  await page.waitForSelector('[data-test=notice-row]');
  assert.equal(await page.locator('[data-test=proposal]', { hasText: '城市精细化管理' }).count(), 0);

  // Bulletin and dashboard.
  await page.goto(srv.url + '#/bulletin');
  await page.waitForSelector('[data-test=bulletin]');
  // The bulletin opens on the month just ended (the one usually published); this month is a draft.
  await page.selectOption('select[name=month]', iso(now).slice(0, 7));
  await page.waitForSelector('[data-test=draft]');
  assert.match(await page.textContent('[data-test=bulletin-overdue]'), /县城市管理局.*城市精细化管理/);
  assert.match(await page.textContent('[data-test=bulletin]'), /平改办督〔\d{4}〕1号（催办单，县城市管理局）/);
  await page.screenshot({ path: path.join(OUT, 'bulletin.png'), fullPage: true });
  await page.goto(srv.url + '#/');
  await page.waitForSelector('[data-test=dashboard]');
  assert.match(await page.textContent('[data-test=dashboard]'), /逾期 1/);
  await page.screenshot({ path: path.join(OUT, 'dashboard.png') });
  assert.deepEqual(errors, []);
  await ctx.close();
});

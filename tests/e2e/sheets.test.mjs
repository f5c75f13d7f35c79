// Excel and CSV (issue 14): an office's existing 台账 comes in through the one 导入 control, with a
// preview; bad rows are named and change nothing; re-importing updates instead of duplicating;
// tables go out as .xlsx (checked with an independent reader) and as CSV with a BOM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, open, setUpOffice, OUT } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
const FIX = path.resolve(process.env.FIXTURES || 'tests/e2e/out/fixtures');
const TOOL = process.env.SHEET_TOOL || path.resolve('target/release/examples/sheet_tool');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

async function pick(page, file) {
  await page.goto(srv.url + '#/exchange');
  await page.setInputFiles('[data-test=import-file]', path.join(FIX, file));
  await page.waitForSelector('[data-test=sheet-preview], [data-test=import-error]');
}

const counts = (page) => page.textContent('[data-test=sheet-counts]');

async function apply(page) {
  await page.click('[data-test=apply-sheet]');
  await page.waitForSelector('[data-test=sheet-result]');
  return page.textContent('[data-test=sheet-result]');
}

// Title → [lead unit, deadline] as the registry list shows them.
async function listed(page) {
  await page.goto(srv.url + '#/');
  await page.waitForSelector('[data-test=count-total]');
  return page.locator('[data-test=item-row]').evaluateAll((rows) => Object.fromEntries(rows.map((r) => {
    const cells = [...r.children].map((c) => c.textContent.trim());
    const title = r.querySelector('a')?.textContent.trim();
    return [title, cells.join(' | ')];
  })));
}

test('an Excel 台账 with title rows, 序号, sections, 合计 and text dates becomes the registry; re-import updates', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '平原县委改革办');
  await pick(page, '平原台账.xlsx');
  // The 台账 sheet, not 填表说明; the header under the title and note rows.
  assert.equal(await page.locator('select[name=sheet] option:checked').textContent(), '2026年改革台账');
  assert.match(await page.textContent('.sheet-import h3'), /表头在第3行/);
  assert.equal(await counts(page), '新建4项，更新0项，无变化0项，有错误0行（跳过空行、合计行、分类标题行4行）');
  assert.match(await page.textContent('[data-test=sheet-new-units]'), /县交通局、县人社局、县城市管理局、县政务服务中心、县教育局、县财政局/);
  await page.screenshot({ path: path.join(OUT, 'sheet-preview-1366.png'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: path.join(OUT, 'sheet-preview-1024.png'), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 768 });
  assert.match(await apply(page), /已导入：新建4项，更新0项/);
  let rows = await listed(page);
  assert.deepEqual(Object.keys(rows).sort(), ['1分钱公交', '城市精细化管理', '县管校聘', '网络理政'].sort());
  assert.match(rows['1分钱公交'], /县交通局.*2026-06-30/, '２０２６年６月底, full-width, the first of two units leads');
  assert.match(rows['网络理政'], /县政务服务中心.*2026-06-30/, 'an Excel date serial');
  assert.match(rows['县管校聘'], /县教育局.*2026-06-30/, 'an Excel date cell');

  // The same sheet again changes nothing; the sheet a month later updates one deadline.
  await pick(page, '平原台账.xlsx');
  assert.equal(await counts(page), '新建0项，更新0项，无变化4项，有错误0行（跳过空行、合计行、分类标题行4行）');
  await page.click('.sheet-import button.secondary');
  await pick(page, '平原台账-9月.xlsx');
  assert.match(await counts(page), /^新建0项，更新1项，无变化3项/);
  assert.match(await page.textContent('[data-test=sheet-rows]'), /1分钱公交更新：完成时限/);
  assert.match(await apply(page), /新建0项，更新1项/);
  rows = await listed(page);
  assert.equal(Object.keys(rows).length, 4, 'updated, not duplicated');
  assert.match(rows['1分钱公交'], /2026-09-30/);

  // The registry goes out as .xlsx (read back with calamine, not the writer) and as CSV with a BOM.
  const [x] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-xlsx]')]);
  assert.match(x.suggestedFilename(), /^平原县委改革办_改革事项台账_\d{4}-\d{2}-\d{2}\.xlsx$/);
  const xp = path.join(OUT, 'exported-registry.xlsx');
  await x.saveAs(xp);
  const sheets = JSON.parse(execFileSync(TOOL, ['read', xp], { encoding: 'utf8' }));
  const s = sheets[0];
  assert.equal(s.name, '改革事项台账');
  assert.equal(s.rows[0][0].v, '平原县委改革办改革事项台账');
  assert.deepEqual(s.rows[1].slice(0, 5).map((c) => c.v), ['序号', '编号', '改革事项名称', '事项类型', '状态']);
  const bus = s.rows.find((r) => r[2]?.v === '1分钱公交');
  assert.equal(bus[5].v, '县交通局');
  assert.deepEqual(bus[9], { t: 'date', v: '2026-09-30' }, 'dates as dates');
  const [c] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-csv]')]);
  const cp = path.join(OUT, 'exported-registry.csv');
  await c.saveAs(cp);
  const csv = fs.readFileSync(cp);
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
  assert.match(csv.toString('utf8'), /1分钱公交,微改革·微创新,谋划申报,县交通局,县财政局,李某,,2026-09-30/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('GBK and BOM CSV give the same registry; bad rows are named and change nothing unless left out', async () => {
  for (const file of ['平原台账-gbk.csv', '平原台账-bom.csv']) {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await ctx.newPage();
    const errors = await open(page, srv.url);
    await setUpOffice(page, '平原县委改革办');
    await pick(page, file);
    assert.equal(await counts(page), '新建4项，更新0项，无变化0项，有错误0行（跳过空行、合计行、分类标题行4行）', file);
    await apply(page);
    const rows = await listed(page);
    assert.match(rows['1分钱公交'], /县交通局.*2026-06-30/, file);
    assert.match(rows['网络理政'], /县政务服务中心.*2026-06-30/, file);
    assert.deepEqual(errors, []);
    await ctx.close();
  }

  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '平原县委改革办');
  await pick(page, '平原台账-有错误.xlsx');
  const errs = await page.locator('[data-test=sheet-error]').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent).join(' | ')));
  assert.deepEqual(errs, [
    '6 | 完成时限 | 尽快 | 无法识别的日期（可写作2026年6月底、2026.6、2026-06-30或长期坚持）',
    '9 | 牵头单位 |  | 请填写“牵头单位”',
    '10 | 改革类型 | 大改革 | 无法识别的改革类型（可写作规定动作、特色项目、微改革、小切口、试点、创新、民生实事）',
  ]);
  await page.screenshot({ path: path.join(OUT, 'sheet-errors.png'), fullPage: true });
  assert.equal(await apply(page), '表格中有3处错误，未导入任何数据；可修改表格后重新导入，或选择只导入无误的行');
  await page.click('[data-test=sheet-done] button');
  let rows = await listed(page);
  assert.equal(Object.keys(rows).length, 0, 'nothing imported');
  await pick(page, '平原台账-有错误.xlsx');
  await page.check('input[name=without_refused]');
  assert.match(await apply(page), /新建1项/);
  rows = await listed(page);
  assert.deepEqual(Object.keys(rows), ['县管校聘']);

  // Files that are not spreadsheets or exchange files are named for what they are.
  await page.goto(srv.url + '#/exchange');
  const backup = path.join(OUT, 'not-really.backup.json');
  fs.writeFileSync(backup, '{"format":"reform-registry-backup","version":1}');
  await page.setInputFiles('[data-test=import-file]', backup);
  await page.waitForSelector('[data-test=import-error]');
  assert.match(await page.textContent('[data-test=import-error]'), /这是备份文件，请在“设置 → 从备份恢复”中使用/);
  const xls = path.join(OUT, 'old.xls');
  fs.writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
  await page.setInputFiles('[data-test=import-file]', xls);
  await page.waitForSelector('[data-test=import-error]:has-text("旧版Excel")');
  // A sheet beyond a ledger's size is refused whole, in words.
  const big = path.join(OUT, 'too-many-rows.csv');
  fs.writeFileSync(big, '事项名称,牵头单位\n' + Array.from({ length: 20001 }, (_, n) => `事项${n},县教育局`).join('\n'));
  await pick(page, path.relative(FIX, big));
  assert.match(await page.textContent('[data-test=import-error]'), /表格过大：一个台账最多20000行/);
  rows = await listed(page);
  assert.deepEqual(Object.keys(rows), ['县管校聘'], 'nothing changed');
  // English.
  await page.click('button.lang');
  await pick(page, '平原台账.xlsx');
  assert.match(await counts(page), /^3 to create, 0 to update, 1 unchanged/);
  await page.screenshot({ path: path.join(OUT, 'sheet-preview-en-1024.png'), fullPage: true });
  await page.click('button.lang');
  assert.deepEqual(errors, []);
  await ctx.close();
});

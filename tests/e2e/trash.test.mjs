// A deletion travels by file: the receiver's preview names what goes, its 回收站 shows who
// deleted it; the keeping office restores it from its own 回收站 and the restore travels back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, open, setUpOffice, exportAs, importInto, OUT, officeIn, addItemAt, titlesAt, applyFileAt } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const office = (name) => officeIn(browser, srv.url, name);
const addItem = (page, title) => addItemAt(page, srv.url, title);
const titles = (page) => titlesAt(page, srv.url);
const apply = (page, p) => applyFileAt(page, srv.url, p);





test('a deletion is previewed with its title and undone from the 回收站', async () => {
  const a = await office('平原县委改革办');
  const b = await office('德州市委改革办');
  await addItem(a.page, '扩大农村劳动力就业集成改革试点');
  await addItem(a.page, '1分钱公交');
  await apply(b.page, (await exportAs(a.page, srv.url, 'trash-a1.reform.json')).path);

  // A deletes one item; B's preview says which.
  await a.page.goto(srv.url + '#/');
  await a.page.click('[data-test=item-row] a:has-text("1分钱公交")');
  // The app asks in its own dialog: Escape cancels and nothing is deleted, then confirm.
  await a.page.click('[data-test=delete-item]');
  await a.page.waitForSelector('[data-test=confirm-dialog][open]');
  assert.equal(await a.page.evaluate(() => document.activeElement?.dataset.test), 'dialog-cancel', 'Cancel has the focus');
  await a.page.screenshot({ path: path.join(OUT, 'confirm-dialog.png') });
  await a.page.keyboard.press('Escape');
  await a.page.waitForSelector('[data-test=confirm-dialog][open]', { state: 'detached' });
  assert.ok(await a.page.isVisible('[data-test=delete-item]'), 'still on the item after Escape');
  await a.page.click('[data-test=delete-item]');
  await a.page.click('[data-test=dialog-confirm]');
  await a.page.waitForSelector('[data-test=count-total]');
  await a.page.waitForSelector('.save.ok');
  const del = await exportAs(a.page, srv.url, 'trash-a2.reform.json');
  // Together with a third office's file: two files, one preview, one step.
  const c = await office('庆云县委改革办');
  await addItem(c.page, '庆云县综合执法改革');
  const cf = await exportAs(c.page, srv.url, 'trash-c1.reform.json');
  await b.page.goto(srv.url + '#/exchange');
  await b.page.setInputFiles('[data-test=import-file]', [del.path, cf.path]);
  await b.page.waitForSelector('[data-test=import-preview]');
  assert.match(await b.page.textContent('[data-test=import-preview]'), /平原县委改革办、庆云县委改革办/);
  assert.match(await b.page.textContent('[data-test=import-deleted]'), /将删除：1分钱公交/);
  const records = await b.page.locator('[data-test=diff-record]').allTextContents();
  assert.ok(records.some((r) => /删除\s*1分钱公交/.test(r)) && records.some((r) => /新增\s*庆云县综合执法改革/.test(r)), records.join(' | '));
  await b.page.screenshot({ path: path.join(OUT, 'import-deleted.png') });
  await b.page.click('[data-test=apply-import]');
  await b.page.waitForSelector('[data-test=import-done]');
  assert.deepEqual(await titles(b.page), ['庆云县综合执法改革', '扩大农村劳动力就业集成改革试点']);
  await c.ctx.close();

  // B's 回收站 lists it, with who and which office; only A may restore it.
  await b.page.click('[data-test=to-trash]');
  const row = b.page.locator('[data-test=trash-row]');
  assert.match(await row.textContent(), /1分钱公交.*平原县委改革办.*由该机构恢复/);
  assert.equal(await b.page.locator('[data-test=undelete]').count(), 0);

  // A restores it from its own 回收站; the restore reaches B.
  await a.page.goto(srv.url + '#/');
  await a.page.click('[data-test=to-trash]');
  await a.page.screenshot({ path: path.join(OUT, 'trash.png') });
  await a.page.click('[data-test=undelete]');
  await a.page.waitForSelector('[data-test=trash-message]');
  await a.page.waitForSelector('.save.ok');
  assert.deepEqual(await titles(a.page), ['1分钱公交', '扩大农村劳动力就业集成改革试点']);
  await apply(b.page, (await exportAs(a.page, srv.url, 'trash-a3.reform.json')).path);
  assert.deepEqual(await titles(b.page), ['1分钱公交', '庆云县综合执法改革', '扩大农村劳动力就业集成改革试点']);
  // And the restore's preview said what changes: the record, its field, old → new.
  for (const o of [a, b]) assert.deepEqual(o.errors, []);
  for (const o of [a, b]) await o.ctx.close();
});

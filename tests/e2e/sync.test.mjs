// Two offices in two browser contexts exchange files: preview, merge, read-only records of the
// other office, deltas both ways, convergence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, open, setUpOffice, exportAs, importInto, OUT, officeIn, titlesAt, saveItem, workerEnded } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const office = (name) => officeIn(browser, srv.url, name);
const titles = (page) => titlesAt(page, srv.url);


const exportFile = (page, file, receiver, delta) => exportAs(page, srv.url, file, receiver, delta);
const importFile = (page, p) => importInto(page, srv.url, p);

async function editTitle(page, title) {
  await page.goto(srv.url + '#/');
  await page.click('[data-test=item-row] a');
  await page.click('[data-test=edit-item]');
  await page.fill('input[name=title]', title);
  await saveItem(page);
  await page.waitForSelector('.save.ok');
}


test('two offices exchange files, each keeps to its own records, and they converge', async () => {
  const a = await office('平原县委改革办');
  const b = await office('德州市委改革办');

  // A creates an item and sends everything.
  await a.page.click('[data-test=new-item]');
  await a.page.fill('input[name=title]', '扩大农村劳动力就业集成改革试点');
  await a.page.fill('input[name=lead_unit]', '县人社局');
  await saveItem(a.page);
  await a.page.waitForSelector('.save.ok');
  const f1 = await exportFile(a.page, 'a-full.reform.json');
  assert.match(f1.name, /^平原县委改革办→全体_\d{4}-\d\d-\d\d_全量\.reform\.json$/);
  const text = fs.readFileSync(f1.path, 'utf8');
  assert.match(text, /"format": "reform-registry-bundle"/);
  assert.match(text, /"digest": "sha256:[0-9a-f]{64}"/);

  // B previews, then applies.
  await importFile(b.page, f1.path);
  assert.match(await b.page.textContent('[data-test=import-counts]'), /新增 3 条、修改 0 条、删除 0 条/);
  await b.page.screenshot({ path: path.join(OUT, 'import-preview.png') });
  await b.page.click('[data-test=apply-import]');
  await b.page.waitForSelector('[data-test=import-done]');
  await b.page.waitForSelector('.save.ok');
  assert.deepEqual(await titles(b.page), ['扩大农村劳动力就业集成改革试点']);

  // Re-importing the same file changes nothing, and says so.
  await importFile(b.page, f1.path);
  assert.match(await b.page.textContent('[data-test=import-done]'), /未做任何更改/);

  // A damaged file is refused with a clear message and nothing changes.
  const broken = path.join(OUT, 'broken.reform.json');
  fs.writeFileSync(broken, text.slice(0, text.length / 2));
  await importFile(b.page, broken);
  assert.match(await b.page.textContent('[data-test=import-error]'), /未导入任何内容/);
  await workerEnded(b.page);
  assert.deepEqual(await titles(b.page), ['扩大农村劳动力就业集成改革试点']);

  // B sees A's item but cannot change it: A keeps it.
  await b.page.goto(srv.url + '#/');
  await b.page.click('[data-test=item-row] a');
  await b.page.waitForSelector('[data-test=read-only]');
  assert.match(await b.page.textContent('[data-test=read-only]'), /平原县委改革办/);
  assert.equal(await b.page.locator('[data-test=edit-item]').count(), 0);
  assert.equal(await b.page.locator('[data-test=transition]').count(), 0);
  await b.page.screenshot({ path: path.join(OUT, 'item-read-only.png') });

  // B adds its own item and sends a delta; A edits its item and sends one back.
  await b.page.goto(srv.url + '#/');
  await b.page.click('[data-test=new-item]');
  await b.page.fill('input[name=title]', '德州市营商环境改革');
  await b.page.fill('input[name=lead_unit]', '市发改委');
  await saveItem(b.page);
  await b.page.waitForSelector('.save.ok');
  const f2 = await exportFile(b.page, 'b-delta.reform.json', '平原县委改革办', true);
  assert.match(f2.name, /^德州市委改革办→平原县委改革办_.*_增量\.reform\.json$/);
  await editTitle(a.page, '扩大农村劳动力就业集成改革试点（平原版）');
  await importFile(a.page, f2.path);
  assert.match(await a.page.textContent('[data-test=import-counts]'), /新增 3 条/);
  await a.page.click('[data-test=apply-import]');
  await a.page.waitForSelector('[data-test=import-done]');
  const f3 = await exportFile(a.page, 'a-delta.reform.json', '德州市委改革办', true);
  await importFile(b.page, f3.path);
  // The preview says what changes, field by field: old → new.
  const field = await b.page.locator('[data-test=diff-field]').first().textContent();
  assert.match(field, /扩大农村劳动力就业集成改革试点\s*→\s*扩大农村劳动力就业集成改革试点（平原版）/);
  await b.page.screenshot({ path: path.join(OUT, 'import-preview-fields.png') });
  await b.page.click('[data-test=apply-import]');
  await b.page.waitForSelector('[data-test=import-done]');
  await b.page.waitForSelector('.save.ok');
  const ta = await titles(a.page);
  const tb = await titles(b.page);
  assert.deepEqual(ta, ['德州市营商环境改革', '扩大农村劳动力就业集成改革试点（平原版）']);
  assert.deepEqual(tb, ta);
  assert.equal(await a.page.locator('[data-test=nav-conflicts]').count(), 0);
  assert.equal(await b.page.locator('[data-test=nav-conflicts]').count(), 0);
  // And a final full export from each carries the same version vector.
  const fa = JSON.parse(fs.readFileSync((await exportFile(a.page, 'a-final.reform.json')).path, 'utf8'));
  const fb = JSON.parse(fs.readFileSync((await exportFile(b.page, 'b-final.reform.json')).path, 'utf8'));
  assert.deepEqual(fa.vv, fb.vv);
  assert.equal(fa.changes.length, fb.changes.length);
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  await a.ctx.close();
  await b.ctx.close();
});

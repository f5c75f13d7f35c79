// Safety nets: an office backs up, loses its laptop, and comes back on a fresh browser profile as
// the same office — 文号 numbering continues and files flow with a peer without a collision; bad
// backups are refused; the demo can be left for a real office.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, open, setUpOffice, exportAs, importInto, approvedItemAt, OUT, applyFileAt } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const iso = (d) => d.toISOString().slice(0, 10);
const applyFile = (page, p) => applyFileAt(page, srv.url, p);
const PASS = '平原改革办2026备份';

async function fresh(width = 1366) {
  const ctx = await browser.newContext({ viewport: { width, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  return { ctx, page, errors };
}

// Issues the urging notice the rules propose for `title`; returns its 文号.
async function urge(page, title) {
  await page.goto(srv.url + '#/supervision');
  const prop = page.locator('[data-test=proposal]', { hasText: title });
  await prop.locator('[data-test=draft-notice]').click();
  await page.click('[data-test=issue-notice]');
  await page.waitForSelector('[data-test=notice-paper]');
  const number = await page.textContent('[data-test=notice-number]');
  await page.waitForSelector('.save.ok');
  return number;
}


test('a restore on a fresh profile continues 文号 numbering and exchanges with a peer', async () => {
  const a = await fresh();
  await setUpOffice(a.page, '平原县委改革办');
  const year = new Date().getFullYear();
  await approvedItemAt(a.page, srv.url, '城市精细化管理', '县城市管理局', iso(new Date(Date.now() - 10 * 864e5)));
  await a.page.goto(srv.url + '#/supervision');
  await a.page.fill('input[name=serial_pattern]', '平改办督〔{year}〕{n}号');
  await a.page.click('[data-test=save-rules]');
  await a.page.waitForSelector('.save.ok');
  assert.equal(await urge(a.page, '城市精细化管理'), `平改办督〔${year}〕1号`);

  // Backup from 设置 (passphrases must match).
  await a.page.goto(srv.url + '#/settings');
  await a.page.fill('input[name=backup_pass]', PASS);
  await a.page.fill('input[name=backup_pass2]', PASS + 'x');
  await a.page.click('[data-test=make-backup]');
  assert.match(await a.page.textContent('[data-test=backup-message]'), /不一致/);
  await a.page.fill('input[name=backup_pass2]', PASS);
  const [dl] = await Promise.all([a.page.waitForEvent('download'), a.page.click('[data-test=make-backup]')]);
  const backup = path.join(OUT, 'office.backup.json');
  await dl.saveAs(backup);
  assert.match(dl.suggestedFilename(), /^平原县委改革办_备份_\d{4}-\d\d-\d\d\.backup\.json$/);
  const text = fs.readFileSync(backup, 'utf8');
  assert.ok(!/"secret"/.test(text), 'the key is sealed, never in clear');
  await a.page.waitForSelector('[data-test=last-backup]');
  await a.page.screenshot({ path: path.join(OUT, 'settings-backup.png'), fullPage: true });

  // After the backup A goes on, and sends its peer everything; then the laptop is lost.
  const peer = await fresh();
  await setUpOffice(peer.page, '德州市委改革办');
  await approvedItemAt(a.page, srv.url, '1分钱公交', '县交通局', iso(new Date(Date.now() + 90 * 864e5)));
  await applyFile(peer.page, (await exportAs(a.page, srv.url, 'a-before-loss.reform.json')).path);
  await a.ctx.close();

  // A fresh profile: the first screen offers 从备份恢复. A wrong passphrase changes nothing.
  const c = await fresh(1024);
  await c.page.waitForSelector('[data-test=restore-file]');
  await c.page.screenshot({ path: path.join(OUT, 'setup-restore-1024.png'), fullPage: true });
  await c.page.setInputFiles('[data-test=restore-file]', backup);
  await c.page.fill('input[name=restore_pass]', 'wrong passphrase');
  await c.page.click('[data-test=restore]');
  await c.page.waitForFunction(() => /口令不正确/.test(document.querySelector('[data-test=restore-message]')?.textContent || ''));
  // Another app's file, and an exchange file, are told apart.
  const other = path.join(OUT, 'not-a-backup.json');
  fs.writeFileSync(other, '{"hello": "world"}');
  await c.page.setInputFiles('[data-test=restore-file]', other);
  await c.page.fill('input[name=restore_pass]', PASS);
  await c.page.click('[data-test=restore]');
  await c.page.waitForFunction(() => /不是改革台账的备份文件/.test(document.querySelector('[data-test=restore-message]')?.textContent || ''));
  await c.page.setInputFiles('[data-test=restore-file]', backup);
  await c.page.fill('input[name=restore_pass]', PASS);
  await c.page.click('[data-test=restore]');
  await c.page.waitForSelector('[data-test=count-total]', { timeout: 60000 });
  await c.page.waitForSelector('.save.ok');
  assert.match(await c.page.textContent('.brand-office'), /平原县委改革办/);

  // Numbering continues: the next notice is 2号, not 1号 again.
  await approvedItemAt(c.page, srv.url, '智慧停车场', '县住建局', iso(new Date(Date.now() - 5 * 864e5)));
  assert.equal(await urge(c.page, '智慧停车场'), `平改办督〔${year}〕2号`);

  // Files flow both ways with the peer, without a collision; the work done after the backup
  // comes back from the peer.
  await applyFile(peer.page, (await exportAs(c.page, srv.url, 'restored-to-peer.reform.json')).path);
  await importInto(c.page, srv.url, (await exportAs(peer.page, srv.url, 'peer-to-restored.reform.json')).path);
  assert.equal(await c.page.locator('[data-test=import-error]').count(), 0);
  await c.page.click('[data-test=apply-import]');
  await c.page.waitForSelector('[data-test=import-done]');
  await c.page.goto(srv.url + '#/');
  await c.page.waitForSelector('[data-test=count-total]');
  const titles = (await c.page.locator('[data-test=item-row] .c-title a').allTextContents()).sort();
  assert.deepEqual(titles, ['1分钱公交', '城市精细化管理', '智慧停车场']);
  for (const o of [peer, c]) assert.deepEqual(o.errors, []);
  await peer.ctx.close();
  await c.ctx.close();
});

test('the demo can be left for a real office in the same profile', async () => {
  const d = await fresh();
  await d.page.click('[data-test=load-demo]');
  await d.page.waitForSelector('[data-test=count-total]');
  const demoName = (await d.page.textContent('.brand-office')).trim();
  await d.page.goto(srv.url + '#/settings');
  await d.page.waitForSelector('[data-test=reset]');
  assert.ok(await d.page.isDisabled('[data-test=reset]'), 'not before the name is typed');
  await d.page.fill('input[name=reset_confirm]', demoName);
  await d.page.screenshot({ path: path.join(OUT, 'settings-reset.png'), fullPage: true });
  await d.page.click('[data-test=reset]');
  await d.page.waitForSelector('[data-test=create-office]');
  await setUpOffice(d.page, '庆云县委改革办');
  assert.match(await d.page.textContent('.brand-office'), /庆云县委改革办/);
  assert.equal(await d.page.textContent('[data-test=count-total]').then((t) => t.match(/\d+/)?.[0]), '0');
  // And it stays so after a reload (storage really was cleared, not only the screen).
  await d.page.reload();
  await d.page.waitForSelector('[data-test=count-total]');
  assert.match(await d.page.textContent('.brand-office'), /庆云县委改革办/);
  assert.deepEqual(d.errors, []);
  await d.ctx.close();
});

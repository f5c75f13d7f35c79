// Two tabs of the app in one browser: the second only shows the registry (and says so) while the
// first is open, refuses changes, then takes over when the first closes — nothing is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, open, setUpOffice, OUT, typeItem, titlesAt } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const addItem = (page, title) => typeItem(page, srv.url, title);
const titles = (page) => titlesAt(page, srv.url);



test('a second tab only shows until the first closes, and nothing is lost', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const first = await ctx.newPage();
  const errors1 = await open(first, srv.url);
  await setUpOffice(first, '平原县委改革办');
  await addItem(first, '第一个标签页的事项');
  await first.waitForSelector('[data-test=item-title]');
  await first.waitForSelector('.save.ok');
  assert.equal(await first.locator('[data-test=read-only-tab]').count(), 0);

  const second = await ctx.newPage();
  const errors2 = await open(second, srv.url);
  await second.waitForSelector('[data-test=read-only-tab]');
  assert.deepEqual(await titles(second), ['第一个标签页的事项']);
  await second.screenshot({ path: path.join(OUT, 'second-tab-read-only.png') });
  // A change typed in the second tab is refused, with the reason.
  await addItem(second, '第二个标签页的事项');
  assert.match(await second.textContent('[data-test=form-error]'), /另一个标签页/);

  // The first tab goes on working.
  await addItem(first, '第一个标签页的第二项');
  await first.waitForSelector('[data-test=item-title]');
  await first.waitForSelector('.save.ok');
  await first.close();

  // The second takes over with everything the first saved, and can work.
  await second.waitForSelector('[data-test=read-only-tab]', { state: 'detached' });
  assert.deepEqual(await titles(second), ['第一个标签页的事项', '第一个标签页的第二项']);
  await addItem(second, '第二个标签页的事项');
  await second.waitForSelector('[data-test=item-title]');
  await second.waitForSelector('.save.ok');
  await second.reload();
  assert.deepEqual(await titles(second), ['第一个标签页的事项', '第一个标签页的第二项', '第二个标签页的事项']);
  assert.deepEqual(errors1, []);
  assert.deepEqual(errors2, []);
  await ctx.close();
});

// The rules an office sets for itself (issue 15): 开江's acceptance with its own weights, 平原's own
// 8 出圈 standards and a promotion line, 淄博's 交办单 from a 上级文件, a won pilot lead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, open, setUpOffice, OUT, riskReview, saveItem, meeting, typeItem } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

async function move(page, to) {
  await page.click(`[data-test=transition]:has-text("${to}")`);
  if (to === '深改委审定') await meeting(page);
  await page.click('[data-test=confirm-transition]');
  await page.waitForFunction((s) => document.querySelector('[data-test=item-status]').textContent === s, to);
}

async function saveRules(page, fields) {
  await page.goto(srv.url + '#/reviews');
  await page.waitForSelector('[data-test=rules-form]');
  for (const [name, v] of Object.entries(fields)) await page.fill(`[data-test=rules-form] [name=${name}]`, v);
  await page.click('[data-test=save-rules]');
  await page.waitForSelector('[data-test=rules-msg]');
  return page.textContent('[data-test=rules-msg]');
}

// An item with one indicator met, taken to 完成销号.
async function completedItem(page, title, unit) {
  await page.goto(srv.url + '#/new');
  await page.fill('input[name=title]', title);
  await page.fill('input[name=lead_unit]', unit);
  await page.fill('input[name=deadline]', '2030-12-31');
  await page.click('[data-test=add-indicator]');
  await page.fill('input[name=ind_name]', '办件量');
  await page.fill('input[name=ind_target]', '100');
  await page.fill('input[name=ind_actual]', '100');
  await page.fill('input[name=ind_unit]', '件');
  await saveItem(page);
  await riskReview(page);
  for (const s of ['已风险评估', '深改委审定', '推进中', '完成销号']) await move(page, s);
  return page.url();
}

test('开江 accepts with its own weights; a later rule change leaves the recorded result', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '开江县委改革办');
  // Weights that do not add up are refused where they were typed.
  assert.match(await saveRules(page, { weight_experts: '50', weight_public: '30', weight_outcomes: '30' }), /合计须为100/);
  assert.match(await saveRules(page, {
    acceptance_criteria: '创新性 30\n改革成效 40\n可复制推广 30', weight_experts: '50', weight_public: '30', weight_outcomes: '20',
  }), /已保存/);
  await page.screenshot({ path: path.join(OUT, 'rules-1366.png'), fullPage: true });
  const url = await completedItem(page, '工程建设项目审批制度改革', '县行政审批局');
  await page.waitForSelector('[data-test=acceptance-card]');
  // The office's three criteria are the form's columns.
  assert.equal(await page.locator('[data-test=acceptance-card] thead th').count(), 4);
  const rows = page.locator('[data-test=expert-row]');
  for (let n = 0; n < 3; n++) {
    await rows.nth(n).locator('input[name=expert_name]').fill(`专家${n + 1}`);
    const cells = rows.nth(n).locator('input[name=expert_score]');
    for (const [c, v] of [24, 30, 21].entries()) await cells.nth(c).fill(String(v));
  }
  // What was typed survives leaving the page before evaluating.
  await page.goto(srv.url + '#/');
  await page.goto(url);
  await page.waitForSelector('[data-test=expert-row]');
  assert.equal(await rows.nth(2).locator('input[name=expert_name]').inputValue(), '专家3');
  await page.fill('input[name=satisfied]', '27');
  await page.fill('input[name=basic]', '0');
  await page.fill('input[name=dissatisfied]', '3');
  await page.fill('input[name=respondents]', '30');
  await page.click('[data-test=evaluate-acceptance]');
  await page.waitForSelector('[data-test=acceptance-result]');
  // 75 × 50 % + 90 × 30 % + 100 × 20 % = 84.50 (the default 40/30/30 would give 87.00).
  assert.match(await page.textContent('[data-test=acceptance-result]'), /84\.50 · 良好/);
  // The office raises the bar: the recorded result and its printed weights stay.
  assert.match(await saveRules(page, { good: '85', excellent: '95' }), /已保存/);
  await page.goto(url);
  await page.click('[data-test=acceptance-report-link]');
  await page.waitForSelector('[data-test=acceptance-report]');
  assert.equal(await page.textContent('[data-test=report-composite]'), '84.50');
  assert.equal(await page.textContent('[data-test=report-grade]'), '良好');
  assert.match(await page.textContent('[data-test=acceptance-report]'), /50.*30.*20/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('平原 scores highlights on its own 8 standards; the promotion line keeps a weak one out', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '平原县委改革办');
  const own = ['首创性 15', '群众获得感 15', '改革实效 20', '制度成果 10', '可复制性 10', '示范带动 10', '媒体关注 10', '上级肯定 10'];
  assert.match(await saveRules(page, { highlight: own.join('\n'), promote_min: '70' }), /已保存/);
  await typeItem(page, srv.url, '“一窗受理”集成服务');
  await page.waitForSelector('[data-test=item-title]');
  await typeItem(page, srv.url, '帮办代办');
  await page.waitForSelector('[data-test=item-title]');
  await page.goto(srv.url + '#/reviews');
  await page.waitForSelector('[data-test=hl-criteria]');
  const labels = await page.locator('[data-test=hl-criteria] label').allTextContents();
  assert.deepEqual(labels.map((l) => l.split(' ×')[0]), own.map((o) => o.split(' ')[0]));
  for (const [title, score] of [['“一窗受理”集成服务', 9], ['帮办代办', 6]]) {
    await page.selectOption('[data-test=hl-item]', { label: title });
    await page.fill('[data-test=hl-reviewer]', '评审组甲');
    const boxes = page.locator('input[name=hl_score]');
    for (let n = 0; n < 8; n++) await boxes.nth(n).fill(String(score));
    await page.click('[data-test=hl-save]');
    await page.waitForFunction((t) => document.querySelector('[data-test=highlight-ranking]').textContent.includes(t), title);
  }
  assert.match(await page.textContent('[data-test=highlight-ranking]'), /90\.00[\s\S]*60\.00/);
  // Ticking the 60-point item with the other is refused, naming it; the line picks one.
  await page.click('[data-test=pick-top]');
  await page.fill('[data-test=batch-name]', '2026年上半年');
  await page.click('[data-test=batch-save]');
  await page.waitForSelector('[data-test=reviews-error]');
  assert.match(await page.textContent('[data-test=reviews-error]'), /“帮办代办”平均得分 60\.00，低于推广分数线 70\.00/);
  await page.click('[data-test=pick-line]');
  await page.click('[data-test=batch-save]');
  await page.waitForFunction(() => !document.querySelector('[data-test=reviews-error]'));
  assert.match(await page.textContent('.reviews-page'), /2026年上半年：“一窗受理”集成服务/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('淄博 hands down a provincial task with a 交办单; a won pilot lead becomes its item', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '淄博市委改革办');
  await page.goto(srv.url + '#/new');
  await page.fill('input[name=title]', '深化“无证明城市”建设');
  await page.selectOption('select[name=kind]', 'mandated');
  await page.selectOption('select[name=source_level]', 'province');
  await page.fill('input[name=source_doc]', '鲁改委发〔2026〕2号');
  await page.fill('input[name=lead_unit]', '市大数据局');
  await page.fill('input[name=deadline]', '2030-12-31');
  await saveItem(page);
  const itemUrl = page.url();
  await riskReview(page);
  for (const s of ['已风险评估', '深改委审定']) await move(page, s);
  // The ladder proposes the 交办单 with its document; issued, it prints the document.
  await page.goto(srv.url + '#/supervision');
  await page.waitForSelector('[data-test=proposal]:has-text("交办单")');
  await page.click('[data-test=proposal]:has-text("交办单") [data-test=draft-notice]');
  assert.equal(await page.inputValue('[data-test=notice-draft] input[name=source_doc]'), '鲁改委发〔2026〕2号');
  await page.click('[data-test=issue-notice]');
  await page.waitForSelector('[data-test=notice-source]');
  assert.match(await page.textContent('[data-test=notice-source]'), /依据：鲁改委发〔2026〕2号/);
  const number = (await page.textContent('.paper')).match(/改革办督〔\d{4}〕\d+号/)[0];
  // By hand: a 交办单 must name its document; a unit not on file is refused.
  await page.goto(srv.url + '#/supervision');
  await page.fill('[data-test=manual-unit]', '市大数局');
  await page.click('[data-test=manual-draft]');
  await page.fill('[data-test=notice-draft] textarea[name=requirement]', '请落实省委改革办部署，按期报送进展');
  await page.click('[data-test=issue-notice]');
  await page.waitForSelector('[data-test=notice-draft] [role=alert]');
  assert.match(await page.textContent('[data-test=notice-draft] [role=alert]'), /请填写“上级文件”/);
  await page.fill('[data-test=notice-draft] input[name=source_doc]', '鲁办发〔2026〕5号');
  await page.click('[data-test=issue-notice]');
  await page.waitForFunction(() => /不在组织架构名录中/.test(document.querySelector('[data-test=notice-draft] [role=alert]')?.textContent));
  await page.goto(srv.url + '#/supervision');
  await page.fill('[data-test=manual-unit]', '市大数据局');
  // The item is found by its title: part of a title is not an item, and opens no draft.
  await page.fill('[data-test=manual-item]', '无证明');
  assert.deepEqual(await page.$$eval('#manual-items option', (o) => o.map((x) => x.value)), ['深化“无证明城市”建设']);
  await page.click('[data-test=manual-draft]');
  await page.waitForSelector('[data-test=manual-error]');
  assert.match(await page.textContent('[data-test=manual-error]'), /没有名为“无证明”的事项/);
  // The draft still open from the refusal above is left as it was.
  assert.match(await page.textContent('[data-test=notice-draft] h2'), /市大数局/);
  await page.fill('[data-test=manual-item]', '深化“无证明城市”建设');
  await page.click('[data-test=manual-draft]');
  await page.waitForSelector('[data-test=notice-draft]');
  assert.equal(await page.locator('[data-test=manual-error]').count(), 0);
  await page.fill('[data-test=notice-draft] input[name=source_doc]', '鲁办发〔2026〕5号');
  await page.fill('[data-test=notice-draft] textarea[name=requirement]', '请落实省委办公厅部署，按期报送进展');
  await page.click('[data-test=issue-notice]');
  await page.waitForSelector('[data-test=notice-source]');
  const byHand = (await page.textContent('.paper')).match(/改革办督〔\d{4}〕\d+号/)[0];
  await page.pdf({ path: path.join(OUT, 'assignment.pdf'), format: 'A4' });
  // The item page holds its notices with their state.
  await page.goto(itemUrl);
  await page.waitForSelector('[data-test=item-notices]');
  assert.match(await page.textContent('[data-test=item-notices]'), new RegExp(number.replace(/[〔〕]/g, '.')));
  // The notice by hand names the item it was drafted for.
  assert.match(await page.textContent('[data-test=item-notices]'), new RegExp(byHand.replace(/[〔〕]/g, '.')));
  await page.screenshot({ path: path.join(OUT, 'item-record-1366.png'), fullPage: true });

  // A pilot lead, won, becomes a pilot item linked to it.
  await page.goto(srv.url + '#/reviews');
  await page.fill('[data-test=lead-title]', '全国数据要素综合试验区试点');
  await page.selectOption('[data-test=lead-level]', 'national');
  await page.fill('[data-test=lead-quarter]', '2026年第四季度');
  await page.fill('[data-test=lead-unit]', '市大数据局');
  await page.click('[data-test=lead-add]');
  await page.click('[data-test=lead-won]');
  await page.click('[data-test=lead-item]');
  await page.waitForSelector('[data-test=item-title]');
  assert.equal(await page.textContent('[data-test=item-title]'), '全国数据要素综合试验区试点');
  const head = await page.textContent('.item-head');
  assert.match(head, /改革试点/);
  assert.match(head, /国家级/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

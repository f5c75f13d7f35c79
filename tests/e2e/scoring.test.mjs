// Scoring: a plan with all five methods, two months for five units, ranking and rank change, print.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, open, setUpOffice, enterMonth, OUT } from './harness.mjs';

const DIST = path.resolve(process.env.DIST_DIR || 'dist');
let srv, browser;
before(async () => { srv = await serve(DIST); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

// One long name: the bar chart shows it whole (it used to cut every name at 7 characters).
const LONG = '临淄区经济技术开发区管理委员会';
const UNITS = ['张店区', '淄川区', '博山区', '周村区', LONG];


async function ranking(page) {
  await page.waitForSelector('[data-test=rank-row]');
  return page.locator('[data-test=rank-row]').evaluateAll((rows) => rows.map((r) => [...r.children].slice(0, 4).map((c) => c.textContent)));
}

test('a five-method plan ranks five units over two months and prints', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  const errors = await open(page, srv.url);
  await setUpOffice(page, '淄博市委改革办');
  await page.goto(srv.url + '#/scoring');
  await page.click('[data-test=new-plan]');
  await page.fill('textarea[name=subjects]', UNITS.join('\n'));
  // A plan whose points do not add up is refused where it was typed.
  await page.locator('input[name=ind_max]').first().fill('30');
  await page.click('[data-test=save-plan]');
  assert.equal(await page.textContent('[data-test=plan-error]'), '基础指标分值合计须为100分（当前为90.00分）');
  await page.locator('input[name=ind_max]').first().fill('40');
  await page.click('[data-test=save-plan]');
  await page.waitForSelector('[data-test=figures]');
  await page.waitForSelector('[data-test=not-ranked]');

  // Month 1. Text in a number field is refused and nothing is stored.
  await page.selectOption('select[name=month]', '1');
  const first = page.locator('[data-test=figure-row]').first();
  await first.locator('input[name=actual]').fill('十二');
  await page.click('[data-test=save-figures]');
  assert.equal(await first.locator('[data-test=cell-error]').textContent(), '“完成值”须为数字');
  assert.match(await page.textContent('[data-test=figures-error]'), /有1项数据不符合要求.*未保存/);
  // A target of 0 and a negative count would stop the ranking: refused at their cells, with the same words.
  await first.locator('input[name=actual]').fill('3');
  await first.locator('input[name=target]').fill('0');
  await first.locator('input[name=count]').first().fill('-1');
  await page.click('[data-test=save-figures]');
  assert.deepEqual(await first.locator('[data-test=cell-error]').allTextContents(), ['“张店区”的“改革任务完成”目标值须大于0', '“张店区”的“逾期任务扣分”不能为负数或小数']);
  assert.equal(await first.locator('[aria-invalid=true]').count(), 3, 'both inputs of the ratio cell and the count');
  await page.screenshot({ path: path.join(OUT, 'figures-refused.png') });
  await first.locator('input[name=count]').first().fill('');
  await enterMonth(page, 1, {
    张店区: [12, 12, '好', 0, 2], // 40+30+20+10+2 = 102
    淄川区: [6, 12, '一般', 2, 0], // 20+18+16+10 = 64
    博山区: [6, 12, '一般', 2, 0], // 64 (tie)
    周村区: [3, 12, '差', 4, 0], // 10+10+12+10 = 42
    [LONG]: [9, 12, '较好', 1, 0], // 30+24+18+10 = 82
  });
  let r = await ranking(page);
  assert.deepEqual(r.map((x) => [x[0], x[2], x[3]]), [
    ['1', '张店区', '102.00'], ['2', LONG, '82.00'], ['3', '博山区', '64.00'], ['3', '淄川区', '64.00'], ['5', '周村区', '42.00'],
  ]);
  assert.deepEqual(r.map((x) => x[1]), ['新', '新', '新', '新', '新']);

  // Month 2: 周村区 climbs; rank change against month 1 is shown.
  await enterMonth(page, 2, {
    张店区: [12, 12, '好', 0, 0],
    淄川区: [6, 12, '一般', 2, 0],
    博山区: [7, 12, '一般', 2, 0],
    周村区: [13, 12, '好', 0, 5], // 43.33+30+20+10+5 = 108.33
    [LONG]: [9, 12, '较好', 1, 0],
  });
  await page.waitForFunction(() => document.querySelector('[data-test=rank-row] td:nth-child(3)')?.textContent === '周村区');
  r = await ranking(page);
  assert.deepEqual(r.map((x) => [x[0], x[1], x[2], x[3]]), [
    ['1', '↑4', '周村区', '108.33'], ['2', '↓1', '张店区', '100.00'], ['3', '↓1', LONG, '82.00'], ['4', '↓1', '博山区', '67.33'], ['5', '↓2', '淄川区', '64.00'],
  ]);
  // Every score explains itself, with the unit's trend.
  await page.click('[data-test=rank-row]:has-text("周村区")');
  await page.waitForSelector('[data-test=explain]');
  assert.match(await page.textContent('[data-test=explain]'), /40 × min\(1\.2, 13\/12\)/);
  assert.equal(await page.locator('.trend-dot').count(), 2);
  await page.screenshot({ path: path.join(OUT, 'scoring.png'), fullPage: true });

  // Year-end: 周村区 months 42 and 108.33 → average 75.17; × 50 % + 90 × 50 % = 82.58.
  const ye = page.locator('[data-test=year-end] tr', { hasText: '周村区' });
  await ye.locator('input[name=year_end]').fill('90');
  await ye.locator('input[name=year_end]').press('Tab');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test=year-end] tr')].some((r) => r.textContent.includes('周村区') && r.textContent.includes('82.58')));
  assert.match(await ye.textContent(), /75\.17/);
  // The year is ranked by composite and each line shows its arithmetic.
  assert.equal(await ye.locator('[data-test=year-rank]').textContent(), '1');
  assert.equal(await ye.locator('[data-test=year-how]').textContent(), '(42.00 + 108.33) ÷ 2 = 75.17；75.17 × 50% + 90 × 50% = 82.58');
  // The year's ranking prints on its own.
  await page.evaluate(() => document.body.setAttribute('data-print', 'year'));
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('[data-test=ranking]').isVisible(), false);
  // As a document: the office, the title and the date, the figures typed shown as text, no
  // form control left on paper.
  const paper = await page.evaluate(() => {
    const shown = (e) => { const s = getComputedStyle(e); const b = e.getBoundingClientRect(); return s.display !== 'none' && s.visibility !== 'hidden' && b.width > 0 && b.height > 0; };
    return {
      controls: [...document.querySelectorAll('main input, main select, main button')].filter(shown).length,
      text: document.querySelector('[data-test=year-end]').innerText,
    };
  });
  assert.equal(paper.controls, 0, 'no form controls on the year\'s paper');
  assert.match(paper.text, /淄博市委改革办/);
  assert.match(paper.text, /2026年度/);
  assert.match(paper.text, /\d{4}年\d{1,2}月\d{1,2}日/);
  assert.match(paper.text, /82\.58/);
  await page.emulateMedia({ media: null }); // page.pdf prints in print media with the page's own @page (page numbers)
  await page.pdf({ path: path.join(OUT, 'year.pdf'), preferCSSPageSize: true, printBackground: true });
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path.join(OUT, 'year.pdf'), path.join(OUT, 'year-pdf')]);
  assert.match(execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', path.join(OUT, 'year.pdf'), '-']).toString(), /\b1\s*\/\s*\d+\b/, 'page number on the year\'s paper');
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => document.body.removeAttribute('data-print'));

  // Print layout: screenshot and a PDF, turned into a PNG to look at. Every unit's bar carries
  // its whole name, on paper too, inside its column.
  await page.emulateMedia({ media: 'print' });
  const bars = await page.$$eval('[data-test=ranking-bars] .bar-label', (ls) => ls.map((l) => ({ text: l.textContent, fits: l.scrollWidth <= l.clientWidth + 1, shown: l.getBoundingClientRect().height > 0 })));
  assert.deepEqual(bars.map((b) => b.text).sort(), [...UNITS].sort());
  assert.ok(bars.every((b) => b.fits && b.shown), JSON.stringify(bars));
  await page.screenshot({ path: path.join(OUT, 'ranking-print.png'), fullPage: true });
  await page.pdf({ path: path.join(OUT, 'ranking.pdf'), format: 'A4', printBackground: true });
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path.join(OUT, 'ranking.pdf'), path.join(OUT, 'ranking-pdf')]);
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(errors, []);
  await ctx.close();
});

import { registerExample } from '../../api/src/testing/graphql-fixtures';
import { screenshot, signInAs, startConsole, textBecomes, type ConsoleUnderTest } from './console-harness';

describe("a department's first form, started empty in the console and filled in to submission", () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
    await registerExample(c.api);
  }, 60_000);
  afterAll(() => c?.close());

  it('adds a funding line and indicator rows, edits every kind of field, and submits', async () => {
    const page = await (await c.context()).newPage();
    await signInAs(page, c.origin, '部门填报员');
    await page.getByRole('button', { name: /新建 \d{4} 年度自评表/ }).click();
    await page.waitForURL(/\/console\/forms\/wangcheng-shzlfwzx\.\d{4}$/);
    const saved = () => textBecomes(page, '.save-status', '已保存');
    const idle = () => page.waitForFunction(() => !document.querySelector('button.small[disabled]'));

    await page.getByRole('button', { name: '新增资金来源' }).click();
    await page.getByLabel('资金来源 其他资金', { exact: true }).waitFor();
    await page.getByLabel('资金来源 其他资金', { exact: true }).fill('财政拨款');
    await page.getByLabel('财政拨款 全年预算数').fill('100');
    await page.getByLabel('财政拨款 全年执行数').fill('95');
    await saved();
    await idle();
    expect(await page.locator('tfoot td').textContent()).toContain('95.00% / 9.50');

    for (const [level1, weight] of [
      ['产出指标', '50'],
      ['效益指标', '30'],
      ['满意度指标', '10'],
    ]) {
      const before = await page.locator('tr[data-row]').count();
      await page.getByRole('button', { name: `新增${level1}` }).click();
      await page.waitForFunction((n) => document.querySelectorAll('tr[data-row]').length === n + 1, before);
      const row = page.locator('tr[data-row]').nth(before);
      await row.locator('input[aria-label$="三级指标"]').fill(`${level1}完成率`);
      await row.locator('input[aria-label$="年度指标值"]').fill('≥90%');
      await row.locator('input[aria-label$="实际完成值"]').fill('95%');
      await row.locator('input[aria-label$="分值"]').fill(weight);
      await row.locator('input[aria-label$="自评得分"]').fill(weight);
      await saved();
      await idle();
    }
    expect(await page.locator('[data-testid=total]').textContent()).toBe('99.50');
    await screenshot(page, 'new-form-filled');
    await page.getByRole('button', { name: '提交审核' }).click();
    await textBecomes(page, '.form-head .badge', '已提交待审核');
  }, 90_000);
});

// What the functions handed to the page (run in the browser, not here) use of the DOM.
declare const document: {
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): { length: number };
};

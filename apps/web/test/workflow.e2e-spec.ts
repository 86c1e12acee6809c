import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { actors } from '@app/domain/testing/fixtures';
import { registerExample } from '../../api/src/testing/graphql-fixtures';
import { screenshot, signInAs, startConsole, textBecomes, type ConsoleUnderTest } from './console-harness';

const EXAMPLE = path.resolve(__dirname, '../../../test/fixtures/wangcheng-2021.json');
const FORM_ID = 'wangcheng-shzlfwzx.2021';
const FORM_PATH = `/console/forms/${FORM_ID}`;

/** The district, the demo clerk's department and the 2021 cycle, as an administrator sets them up. */
async function seed(c: ConsoleUnderTest): Promise<void> {
  await registerExample(c.api);
  const cycle = await c.api.gql(
    'mutation($i: OpenCycleInput!) { openCycle(input: $i) { id } }',
    { i: { districtCode: 'wangcheng', year: 2021, deadline: '2099-03-31T23:59:59+08:00' } },
    actors.admin,
  );
  if (cycle.body.errors) throw new Error(JSON.stringify(cycle.body.errors));
}

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').trim();
const rowField = (row: string, label: string) => `tr[data-row="${row}"] input[aria-label$="${label}"]`;
const saved = (page: Page) => textBecomes(page, '.save-status', '已保存');

describe('the console across four roles (Chromium)', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
    await seed(c);
  }, 60_000);
  afterAll(() => c?.close());

  it('clerk imports, edits, submits; supervisor returns; clerk fixes and resubmits; supervisor approves; auditor replays', async () => {
    const clerk = await (await c.context()).newPage();
    const supervisor = await (await c.context()).newPage();
    const auditor = await (await c.context()).newPage();

    // The clerk imports the interchange document: the form opens as the paper form, scoring 98.35.
    await signInAs(clerk, c.origin, '部门填报员');
    await clerk.waitForURL(`${c.origin}/console/forms`);
    await screenshot(clerk, '01-clerk-forms');
    await clerk.setInputFiles('input[type=file]', EXAMPLE);
    await clerk.waitForURL(`${c.origin}${FORM_PATH}`);
    await textBecomes(clerk, '[data-testid=total]', '98.35');
    expect(await text(clerk, '[data-testid="suggestion-r1"] strong')).toBe('5.00');

    // Typing an actual below the target range: the server's suggestion drops and a warning appears.
    await clerk.locator(rowField('r1', '实际完成值')).fill('3');
    await saved(clerk);
    await clerk.locator('tr[data-row="r1"] li.warning[data-code="SCORE_DIFFERS_FROM_SUGGESTION"]').waitFor();
    const suggested = await text(clerk, '[data-testid="suggestion-r1"] strong');
    expect(suggested).not.toBe('5.00');
    expect(await text(clerk, 'tr[data-row="r1"] li.warning')).toContain('建议得分不一致');
    await screenshot(clerk, '02-clerk-form-edited');
    await clerk.getByRole('button', { name: '提交审核' }).click();
    await textBecomes(clerk, '.form-head .badge', '已提交待审核');

    // The supervisor sees it submitted in the district list and returns it with a comment.
    await signInAs(supervisor, c.origin, '区级审核人');
    await supervisor.waitForURL(`${c.origin}/console/district`);
    await textBecomes(supervisor, `tr[data-form="${FORM_ID}"] [data-testid=state]`, '已提交待审核');
    await screenshot(supervisor, '03-supervisor-district');
    await supervisor.getByRole('link', { name: '长沙市望城区社会治理服务中心' }).click();
    await supervisor.getByLabel('审核意见（退回时必填）').fill('第一项指标实际值偏低，请说明原因并据实打分');
    await supervisor.getByRole('button', { name: '退回修改' }).click();
    await textBecomes(supervisor, '.form-head .badge', '已退回修改');
    await supervisor.getByRole('link', { name: '本区自评表与统计' }).click();
    await textBecomes(supervisor, `tr[data-form="${FORM_ID}"] [data-testid=state]`, '已退回修改');

    // The clerk's open form follows live: the return comment shows where it applies.
    await clerk.locator('.notice.returned').waitFor();
    expect(await text(clerk, '.notice.returned p')).toBe('第一项指标实际值偏低，请说明原因并据实打分');
    await screenshot(clerk, '04-clerk-returned');
    await clerk.locator(rowField('r1', '自评得分')).fill(suggested);
    await clerk.locator(rowField('r1', '偏差原因')).fill('年度内事务量低于预期');
    await clerk.locator(rowField('r1', '改进措施')).fill('拓宽受理渠道');
    await saved(clerk);
    expect(
      await clerk.locator('tr[data-row="r1"] li.warning[data-code="SCORE_DIFFERS_FROM_SUGGESTION"]').count(),
    ).toBe(0);
    await clerk.getByRole('button', { name: '提交审核' }).click();
    await textBecomes(clerk, '.form-head .badge', '已提交待审核');

    // The supervisor's list, left open, shows the resubmission without a reload.
    await textBecomes(supervisor, `tr[data-form="${FORM_ID}"] [data-testid=state]`, '已提交待审核');
    await supervisor.getByRole('link', { name: '长沙市望城区社会治理服务中心' }).click();
    await supervisor.getByLabel(/^复核得分/).fill('95.00');
    await supervisor.getByLabel(/^调整理由/).fill('抽查核减');
    await supervisor.getByRole('button', { name: '审核通过', exact: true }).click();
    await textBecomes(supervisor, '.form-head .badge', '已审核通过');
    expect(await text(supervisor, '.notice.approved')).toContain('抽查核减');
    await screenshot(supervisor, '05-supervisor-approved');
    // An approved form can be reopened, with a reason: back to the clerk, who sees why.
    await supervisor.getByLabel('重新打开的理由（必填）').fill('复核发现评分依据不足');
    await supervisor.getByRole('button', { name: '重新打开' }).click();
    await textBecomes(supervisor, '.form-head .badge', '已退回修改');
    await clerk.locator('.notice.returned p').filter({ hasText: '复核发现评分依据不足' }).waitFor();

    // The auditor replays it: every change in the timeline, version 1, a diff, a verified chain.
    await signInAs(auditor, c.origin, '审计人员');
    await auditor.goto(`${c.origin}${FORM_PATH}/history`);
    await auditor.locator('[data-testid=integrity]').waitFor();
    expect(await text(auditor, '[data-testid=integrity]')).toContain('完整性校验通过');
    const timeline = await auditor.locator('[data-testid=timeline] > li').allTextContents();
    for (const step of ['导入表单', '修改指标', '提交审核', '退回修改', '审核通过', '重新打开'])
      expect(timeline.some((entry) => entry.includes(step))).toBe(true);
    expect(timeline.join('\n')).toContain('第 1 行指标 · 实际完成值：6 → 3');
    await auditor.getByRole('slider').fill('1');
    await textBecomes(
      auditor,
      '[data-testid=past-form] p',
      '第 1 版 · 草稿 · 自评总分 98.35 · 等级 优 · 执行率 83.47%',
    );
    // Version 1 laid out as the form: row 1's actual as imported, before the clerk changed it to 3.
    expect(await text(auditor, '[data-testid=past-form] tr[data-row="r1"] td:nth-child(4) span')).toBe('6');
    await auditor.getByLabel('起始版本').fill('1');
    await auditor.getByLabel('结束版本').fill('2');
    await auditor.getByRole('button', { name: '比较' }).click();
    await auditor.locator('.panel .changes li').first().waitFor();
    expect(await text(auditor, '.panel .changes li')).toBe('第 1 行指标 · 实际完成值：6 → 3');
    await screenshot(auditor, '06-auditor-history');
  }, 90_000);
});

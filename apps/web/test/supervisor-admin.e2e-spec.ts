import type { Page } from 'playwright-core';
import { EVALUATION_ID, actors, exampleDocument } from '@app/domain/testing/fixtures';
import { screenshot, signInAs, startConsole, textBecomes, type ConsoleUnderTest } from './console-harness';
import { seedExample } from '../../api/src/testing/graphql-fixtures';

const OTHER_ID = 'wangcheng-other.2021';

describe('an administrator sets up the year; a supervisor filters, sorts and follows the district', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
    await seedExample(c.api);
    // A second form, scoring lower: the other department's, one row given 1 point of 5.
    const document = exampleDocument();
    document.department = { code: 'wangcheng-other', name: '其他部门' };
    document.indicators[0].score = '1';
    const imported = await c.api.gql(
      'mutation($d: JSON!) { importEvaluation(document: $d) { id } }',
      { d: document },
      actors.otherClerk,
    );
    if (imported.body.errors) throw new Error(JSON.stringify(imported.body.errors));
  }, 60_000);
  afterAll(() => c?.close());

  const section = (page: Page, heading: string) => page.locator(`section[aria-labelledby="${heading}"]`);
  const rows = (page: Page) => page.locator('[data-testid=district-forms] tbody tr');

  it('the administrator registers a district and a department, opens the cycle and moves its deadline', async () => {
    const admin = await (await c.context()).newPage();
    await signInAs(admin, c.origin, '系统管理员');
    const districts = section(admin, 'districts-heading');
    await districts.getByLabel('代码').fill('yuelu');
    await districts.getByLabel('名称').fill('岳麓区');
    await districts.getByRole('button', { name: '登记区划' }).click();
    await textBecomes(admin, '[role=status]', '区划已登记');
    await districts.getByText('岳麓区').waitFor();

    const departments = section(admin, 'departments-heading');
    await departments.getByLabel('所属区划').selectOption('wangcheng');
    await departments.getByLabel('代码').fill('wangcheng-third');
    await departments.getByLabel('名称').fill('第三部门');
    await departments.getByRole('button', { name: '登记部门' }).click();
    await textBecomes(admin, '[role=status]', '部门已登记');

    const cycles = section(admin, 'cycles-heading');
    const [open, move] = [cycles.locator('form').nth(0), cycles.locator('form').nth(1)];
    await open.getByLabel('区划').selectOption('wangcheng');
    await open.getByLabel('年度').fill('2021');
    await open.getByLabel(/截止时间/).fill('2022-03-31T23:59');
    await open.getByRole('button', { name: '开启周期' }).click();
    await textBecomes(admin, '[role=status]', '填报周期已开启，各部门将收到截止提醒');
    await move.getByLabel('区划').selectOption('wangcheng');
    await move.getByLabel('年度').fill('2021');
    await move.getByLabel(/新截止时间/).fill('2022-04-15T18:00');
    await move.getByRole('button', { name: '调整截止时间' }).click();
    await textBecomes(admin, '[role=status]', '截止时间已调整，尚未发出的提醒已按新时间重新安排');
    await screenshot(admin, 'admin-after-setup');
    const cycle = await c.api.gql(
      '{ cycle(districtCode: "wangcheng", year: 2021) { deadline } }',
      {},
      actors.supervisor,
    );
    expect(cycle.body.data.cycle).toEqual({ deadline: '2022-04-15T10:00:00.000Z' });
  }, 60_000);

  it('the supervisor filters, sorts, sees late submissions and who has not submitted, and requests a report', async () => {
    const submitted = await c.api.gql(
      `mutation { submitEvaluation(id: "${EVALUATION_ID}", expectedVersion: 1) { state } }`,
      {},
      actors.clerk,
    );
    expect(submitted.body.data.submitEvaluation.state).toBe('SUBMITTED');
    const supervisor = await (await c.context()).newPage();
    await signInAs(supervisor, c.origin, '区级审核人');
    await supervisor.goto(`${c.origin}/console/district?year=2021`);
    await textBecomes(supervisor, `tr[data-form="${EVALUATION_ID}"] [data-testid=state]`, '已提交待审核');
    // Submitted today, after the 2022 deadline.
    expect(
      await supervisor.locator(`tr[data-form="${EVALUATION_ID}"] [data-testid=timing]`).textContent(),
    ).toBe('逾期');
    const notSubmitted = await supervisor.locator('[data-testid=not-submitted] li').allTextContents();
    expect(notSubmitted.sort()).toEqual(['其他部门', '第三部门'].sort());

    await supervisor.getByLabel('排序', { exact: true }).selectOption('TOTAL_DESC');
    await textBecomes(
      supervisor,
      '[data-testid=district-forms] tbody tr:first-child [data-testid=total]',
      '98.35',
    );
    await supervisor.getByLabel('排序', { exact: true }).selectOption('TOTAL_ASC');
    await textBecomes(
      supervisor,
      '[data-testid=district-forms] tbody tr:first-child [data-testid=total]',
      '94.35',
    );
    await supervisor.getByLabel('状态', { exact: true }).selectOption('DRAFT');
    await supervisor.waitForFunction(
      () => document.querySelectorAll('[data-testid=district-forms] tbody tr').length === 1,
    );
    expect(await rows(supervisor).first().getAttribute('data-form')).toBe(OTHER_ID);
    await supervisor.getByLabel('状态', { exact: true }).selectOption('');
    await supervisor.waitForFunction(
      () => document.querySelectorAll('[data-testid=district-forms] tbody tr').length === 2,
    );

    // The clerk withdraws from the console; the supervisor's list follows.
    const clerk = await (await c.context()).newPage();
    await signInAs(clerk, c.origin, '部门填报员');
    await clerk.goto(`${c.origin}/console/forms/${EVALUATION_ID}`);
    await clerk.getByRole('button', { name: '撤回提交' }).click();
    await textBecomes(clerk, '.form-head .badge', '草稿');
    await textBecomes(supervisor, `tr[data-form="${EVALUATION_ID}"] [data-testid=state]`, '草稿');

    await supervisor.getByRole('button', { name: '生成最新报告' }).click();
    await supervisor.getByRole('button', { name: '正在生成…' }).waitFor();
    await screenshot(supervisor, 'supervisor-district-filtered');
  }, 60_000);
});

// What the functions handed to the page (run in the browser, not here) use of the DOM.
declare const document: { querySelectorAll(selector: string): { length: number } };

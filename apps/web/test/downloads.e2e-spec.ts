import * as fs from 'node:fs';
import type { EventStore, SqliteDatabase } from '@app/event-store';
import { generateDistrictReport } from '@app/application';
import { departmentsOfDistrict } from '@app/read-models';
import { EVALUATION_ID } from '@app/domain/testing/fixtures';
import { EVENT_STORE, READ_MODELS } from '../../api/src/event-store/event-store.module';
import { signInAs, startConsole, type ConsoleUnderTest } from './console-harness';
import { seedExample } from '../../api/src/testing/graphql-fixtures';

describe('downloads from the console, with the session cookie alone', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
    await seedExample(c.api);
    // A district report as the worker's report job writes it (the worker does not run here).
    const store = c.api.app.get<EventStore>(EVENT_STORE);
    const readModels = c.api.app.get<SqliteDatabase>(READ_MODELS);
    await generateDistrictReport(
      store,
      departmentsOfDistrict(readModels, 'wangcheng'),
      'wangcheng',
      2021,
      new Date(),
      'test',
    );
  }, 60_000);
  afterAll(() => c?.close());

  it('a clerk downloads the form as a spreadsheet; a supervisor the district report as CSV and XLSX', async () => {
    const clerk = await (await c.context()).newPage();
    await signInAs(clerk, c.origin, '部门填报员');
    await clerk.goto(`${c.origin}/console/forms/${EVALUATION_ID}`);
    const [form] = await Promise.all([
      clerk.waitForEvent('download'),
      clerk.getByRole('link', { name: '导出 Excel' }).click(),
    ]);
    expect(form.suggestedFilename()).toMatch(/^evaluation-wangcheng-shzlfwzx\.2021-v1\.xlsx$/);
    // An XLSX file is a ZIP archive.
    expect(
      fs
        .readFileSync((await form.path())!)
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    const supervisor = await (await c.context()).newPage();
    await signInAs(supervisor, c.origin, '区级审核人');
    await supervisor.getByText(/最新报告生成于/).waitFor();
    const [csv] = await Promise.all([
      supervisor.waitForEvent('download'),
      supervisor.getByRole('link', { name: '下载 CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('district-report-wangcheng-2021.csv');
    // The report counts submitted and approved forms only: the draft here leaves the ranking empty.
    expect(fs.readFileSync((await csv.path())!, 'utf8')).toContain('排名,部门代码,部门名称,状态,总分,等级');
    const [xlsx] = await Promise.all([
      supervisor.waitForEvent('download'),
      supervisor.getByRole('link', { name: '下载 Excel' }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toBe('district-report-wangcheng-2021.xlsx');
  }, 60_000);
});

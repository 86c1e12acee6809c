import type ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../testing/test-app';
import { download, workbookOf } from '../testing/downloads';
import { EVALUATION_ID, actors, exampleDocument, seedExample } from '../testing/graphql-fixtures';

/** The text of a cell (merged cells read as their master), as a user sees it. */
const text = (sheet: ExcelJS.Worksheet, row: number, column: number) => {
  const value = sheet.getCell(row, column).value;
  return value === null || value === undefined ? '' : String(value);
};
/** The row whose first column reads `label` (labels are unique on the form). */
const rowOf = (sheet: ExcelJS.Worksheet, label: string) => {
  for (let r = 1; r <= sheet.rowCount; r++) if (text(sheet, r, 1) === label) return r;
  throw new Error(`no row labelled ${label}`);
};

describe('GET /evaluations/:id.xlsx — the form laid out like the paper one', () => {
  let api: TestApp;
  const file = `/evaluations/${EVALUATION_ID}.xlsx`;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  it('has every block of the example with its figures, cell by cell, and totals 98.35 (优)', async () => {
    const response = await download(api.app.getHttpServer(), file, api.token(actors.clerk)).expect(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toContain(`evaluation-${EVALUATION_ID}-v1.xlsx`);
    const sheet = (await workbookOf(response.body)).getWorksheet('部门整体自评表')!;
    const document = exampleDocument();

    expect(text(sheet, 1, 1)).toBe('部门整体自评表');
    expect(text(sheet, 2, 1)).toContain('(2021 年)');
    expect([text(sheet, 3, 1), text(sheet, 3, 2), text(sheet, 3, 11)]).toEqual([
      '部门(单位)名称',
      '长沙市望城区社会治理服务中心',
      '0',
    ]);

    const funding = rowOf(sheet, '资金情况(万元)');
    expect(text(sheet, funding, 7)).toBe('执行率((B-C)/A)');
    // The merged first column reads the same on the line and total rows below the header.
    expect(text(sheet, funding + 1, 1)).toBe('资金情况(万元)');
    const line = [2, 3, 4, 5, 6, 7, 8].map((c) => text(sheet, funding + 1, c));
    expect(line).toEqual(['财政拨款', '1081.19', '902.42', '0', '--', '83.47%', '--']);
    const total = [2, 3, 4, 5, 6, 7, 8].map((c) => text(sheet, funding + 2, c));
    expect(total).toEqual(['年度资金总额', '1081.19', '902.42', '0', '10', '83.47%', '8.35']);

    const functions = rowOf(sheet, '部门职能概述');
    expect(text(sheet, functions, 2)).toBe(document.functions);
    // Its four paragraphs get the height of at least four lines (spreadsheet programs do not grow
    // merged rows by themselves), while a one-line row keeps the default height.
    expect(sheet.getRow(functions).height).toBeGreaterThanOrEqual(4 * 15);
    expect(sheet.getRow(3).height ?? 15).toBeLessThanOrEqual(20);
    const goals = rowOf(sheet, '年度总体目标');
    expect([text(sheet, goals, 2), text(sheet, goals, 7)]).toEqual(['年初设定目标', '目标完成情况']);
    expect([text(sheet, goals + 1, 2), text(sheet, goals + 1, 7)]).toEqual([
      document.goals.planned,
      document.goals.achieved,
    ]);

    const first = rowOf(sheet, '年度绩效指标');
    expect(text(sheet, first - 1, 2)).toBe('一级指标');
    document.indicators.forEach((indicator: Record<string, string | undefined>, i: number) => {
      const r = first + i;
      expect(text(sheet, r, 1)).toBe('年度绩效指标');
      const cells = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((c) => text(sheet, r, c));
      expect(cells).toEqual([
        indicator.level1,
        indicator.level2,
        indicator.level3 ?? '',
        indicator.content ?? '',
        indicator.target ?? '',
        indicator.actual ?? '',
        indicator.weight,
        indicator.score ?? '',
        indicator.shortfallReason ?? '',
        indicator.improvement ?? '',
      ]);
    });
    const totalRow = rowOf(sheet, '总分');
    expect(totalRow).toBe(first + document.indicators.length);
    expect([text(sheet, totalRow, 8), text(sheet, totalRow, 9)]).toEqual(['100', '98.35']);
    expect(text(sheet, rowOf(sheet, '等级'), 9)).toBe('优');
  });

  it('merges first-level cells over their rows as the paper form does', async () => {
    const response = await download(api.app.getHttpServer(), file, api.token(actors.clerk)).expect(200);
    const sheet = (await workbookOf(response.body)).getWorksheet('部门整体自评表')!;
    const first = rowOf(sheet, '年度绩效指标');
    // The example's first rows are all 产出指标: one merged cell, its master at the first row.
    const master = sheet.getCell(first, 2);
    expect(master.value).toBe('产出指标');
    expect(sheet.getCell(first + 1, 2).isMerged).toBe(true);
    expect(sheet.getCell(first + 1, 2).master.address).toBe(master.address);
  });

  it('shows the reviewer’s adjusted total and its grade once approved', async () => {
    await api
      .gql(
        `mutation { submitEvaluation(id: "${EVALUATION_ID}", expectedVersion: 1) { version } }`,
        {},
        actors.clerk,
      )
      .expect(200);
    const approved = await api.gql(
      `mutation { approveEvaluation(id: "${EVALUATION_ID}", expectedVersion: 2, adjustedTotal: "88.5", adjustmentReason: "佐证材料不足") { version } }`,
      {},
      actors.supervisor,
    );
    expect(approved.body.errors).toBeUndefined();
    const response = await download(api.app.getHttpServer(), file, api.token(actors.auditor)).expect(200);
    const sheet = (await workbookOf(response.body)).getWorksheet('部门整体自评表')!;
    expect(text(sheet, 2, 1)).toContain('已审核');
    expect(text(sheet, rowOf(sheet, '总分'), 9)).toBe('98.35');
    const adjusted = rowOf(sheet, '审核调整后总分');
    expect([text(sheet, adjusted, 9), text(sheet, adjusted, 10)]).toEqual(['88.50', '佐证材料不足']);
    expect(text(sheet, rowOf(sheet, '等级'), 9)).toBe('良');
  });

  it('is refused without a token, and out of scope looks exactly like missing', async () => {
    const server = api.app.getHttpServer();
    const unauthenticated = await download(server, file).expect(401);
    expect(JSON.parse(unauthenticated.body.toString()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const actor of [actors.otherClerk, actors.otherSupervisor, actors.otherAuditor]) {
      const hidden = await download(server, file, api.token(actor)).expect(404);
      const missing = await download(server, '/evaluations/nobody.2021.xlsx', api.token(actor)).expect(404);
      expect(JSON.parse(hidden.body.toString()).errors[0].extensions.code).toBe('NOT_FOUND');
      expect(JSON.parse(hidden.body.toString()).errors[0].message).toBe(
        JSON.parse(missing.body.toString()).errors[0].message.replace('nobody.2021', EVALUATION_ID),
      );
    }
    for (const actor of [actors.supervisor, actors.admin])
      await download(server, file, api.token(actor)).expect(200);
    await download(server, `/evaluations/${EVALUATION_ID}.pdf`, api.token(actors.clerk)).expect(404);
  });

  it('a form just created (no funding lines, no indicators, no score yet) downloads too', async () => {
    const created = await api.gql(
      'mutation { createEvaluation(input: { departmentCode: "wangcheng-shzlfwzx", year: 2022 }) { id } }',
      {},
      actors.clerk,
    );
    expect(created.body.errors).toBeUndefined();
    const response = await download(
      api.app.getHttpServer(),
      `/evaluations/${created.body.data.createEvaluation.id}.xlsx`,
      api.token(actors.clerk),
    ).expect(200);
    const sheet = (await workbookOf(response.body)).getWorksheet('部门整体自评表')!;
    expect(text(sheet, 2, 1)).toContain('(2022 年)');
    expect(text(sheet, rowOf(sheet, '总分'), 9)).toBe('--');
    expect(text(sheet, rowOf(sheet, '等级'), 9)).toBe('--');
  });
});

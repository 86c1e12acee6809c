import { randomUUID } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { type ProjectionHost, type EventStore, type SqliteDatabase } from '@app/event-store';
import { GRADE_LABELS } from '@app/domain';
import {
  REPORT_DEADLINE,
  REPORT_YEAR,
  expectedGrade,
  expectedRanking,
  generatedDistrict,
  roundHalfUp,
  show,
} from '@app/domain/testing/generated-district';
import { evaluationStreamId, generateDistrictReport, reportStreamId, toNewEvent } from '@app/application';
import { EVENT_STORE, PROJECTIONS, READ_MODELS } from '../event-store/event-store.module';
import { download, workbookOf } from '../testing/downloads';
import { actors } from '../testing/graphql-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';
import { departmentsOfDistrict } from '@app/read-models';

const DISTRICT = { code: 'wangcheng', name: '长沙市望城区' };
const STATE_LABELS = { SUBMITTED: '已提交', APPROVED: '已审核' } as Record<string, string>;
/** "1000.5" for 100050 hundredths: how the report prints sums (no trailing zeros). */
const plainShow = (hundredths: bigint) => show(hundredths).replace(/\.?0+$/, '');

const cellText = (sheet: ExcelJS.Worksheet, row: number, column: number) => {
  const value = sheet.getCell(row, column).value;
  return value === null || value === undefined ? '' : String(value);
};

describe('a district of 150 departments: the report downloaded as XLSX, checked cell by cell', () => {
  let api: TestApp;
  const departments = generatedDistrict(150);

  beforeAll(async () => {
    api = await startTestApp();
    const admin = (query: string, variables: Record<string, unknown>) =>
      api.gql(query, variables, actors.admin).expect((r) => expect(r.body.errors).toBeUndefined());
    await admin('mutation($i: RegisterDistrictInput!) { registerDistrict(input: $i) { code } }', {
      i: DISTRICT,
    });
    for (const { department } of departments)
      await admin('mutation($i: RegisterDepartmentInput!) { registerDepartment(input: $i) { code } }', {
        i: { ...department, districtCode: DISTRICT.code },
      });
    await admin('mutation($i: OpenCycleInput!) { openCycle(input: $i) { deadline } }', {
      i: { districtCode: DISTRICT.code, year: REPORT_YEAR, deadline: REPORT_DEADLINE },
    });
    // The forms' histories go into the log as the clerks and supervisors made them, at their times.
    const store = api.app.get<EventStore>(EVENT_STORE);
    for (const { evaluationId, events } of departments) {
      if (events.length === 0) continue;
      const metadata = (i: number) => ({
        actor: { id: 'generated', role: 'DEPARTMENT' },
        correlationId: `generated-${evaluationId}`,
        causationId: `generated-${evaluationId}-${i}`,
        occurredAt: REPORT_DEADLINE,
      });
      await store.appendToStream(
        evaluationStreamId(evaluationId),
        events.map((event, i) => toNewEvent(event, randomUUID(), metadata(i))),
        { expectedRevision: 'no_stream' },
      );
    }
    // What the worker's report job runs, then the read model the download serves from.
    await generateDistrictReport(
      store,
      departmentsOfDistrict(api.app.get<SqliteDatabase>(READ_MODELS), DISTRICT.code),
      DISTRICT.code,
      REPORT_YEAR,
      new Date('2022-04-05T00:00:00Z'),
      'report-150',
    );
    const head = (await store.headPosition())!;
    await api.app
      .get<ProjectionHost>(PROJECTIONS)
      .waitFor(head, { streamId: reportStreamId(DISTRICT.code, REPORT_YEAR), timeoutMs: 10_000 });
  }, 60_000);
  afterAll(() => api.close());

  it('summary and departments sheets equal an independent integer computation, cell by cell', async () => {
    const response = await download(
      api.app.getHttpServer(),
      `/reports/${DISTRICT.code}/${REPORT_YEAR}.xlsx`,
      api.token(actors.supervisor),
    ).expect(200);
    const workbook = await workbookOf(response.body);

    const expected = departments.map((d) => d.expected);
    const counted = expectedRanking(departments);
    const totals = counted.map((e) => e.total!).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const sum = (pick: (e: (typeof counted)[number]) => bigint) => counted.reduce((s, e) => s + pick(e), 0n);
    const grades = { EXCELLENT: 0, GOOD: 0, FAIR: 0, POOR: 0 };
    for (const total of totals) grades[expectedGrade(total)] += 1;
    const byState = (state: string) => expected.filter((e) => e.state === state).length;
    const mid = totals.length / 2;
    const summaryExpected: Record<string, string> = {
      区: DISTRICT.code,
      年度: String(REPORT_YEAR),
      截止时间: REPORT_DEADLINE,
      登记部门数: '150',
      未填报: String(byState('NONE')),
      草稿: String(byState('DRAFT')),
      已提交: String(byState('SUBMITTED')),
      已退回: String(byState('RETURNED')),
      已审核: String(byState('APPROVED')),
      按时提交: String(expected.filter((e) => e.onTime === true).length),
      逾期提交: String(expected.filter((e) => e.onTime === false).length),
      平均分: show(
        roundHalfUp(
          totals.reduce((s, t) => s + t, 0n),
          BigInt(totals.length),
        ),
      ),
      中位数: show(roundHalfUp(totals[mid - 1] + totals[mid], 2n)),
      优: String(grades.EXCELLENT),
      良: String(grades.GOOD),
      中: String(grades.FAIR),
      差: String(grades.POOR),
      '全年预算数(A)合计(万元)': plainShow(sum((e) => e.budget)),
      '全年执行数(B)合计(万元)': plainShow(sum((e) => e.executed)),
      '上级转移支付(C)合计(万元)': '0',
      执行率: `${show(
        roundHalfUp(
          sum((e) => e.executed) * 10000n,
          sum((e) => e.budget),
        ),
      )}%`,
    };
    const summary = workbook.getWorksheet('汇总')!;
    const seen: Record<string, string> = {};
    for (let r = 1; r <= summary.rowCount; r++) seen[cellText(summary, r, 1)] = cellText(summary, r, 2);
    expect(seen).toMatchObject(summaryExpected);
    expect(summary.rowCount).toBe(Object.keys(summaryExpected).length + 2); // + 生成时间 and 未提交

    const sheet = workbook.getWorksheet('部门')!;
    expect(sheet.rowCount).toBe(counted.length + 1);
    let rank = 0;
    counted.forEach((e, i) => {
      if (i === 0 || counted[i - 1].total !== e.total) rank = i + 1;
      const rate = show(roundHalfUp(e.executed * 10000n, e.budget));
      const row = [1, 2, 3, 4, 5, 6, 7, 8].map((c) => cellText(sheet, i + 2, c));
      expect(row).toEqual([
        String(rank),
        e.code,
        e.name,
        STATE_LABELS[e.state],
        show(e.total!),
        GRADE_LABELS[expectedGrade(e.total!)],
        `${rate}%`,
        e.onTime ? '按时' : '逾期',
      ]);
    });

    const deductions = workbook.getWorksheet('扣分指标')!;
    expect(deductions.rowCount - 1).toBe(counted.filter((e) => e.deducted).length);
  });
});

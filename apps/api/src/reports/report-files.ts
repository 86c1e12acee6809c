import ExcelJS from 'exceljs';
import type { DistrictReport } from '@app/domain';

const STATE_LABELS: Record<string, string> = {
  NONE: '未填报',
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  RETURNED: '已退回',
  APPROVED: '已审核',
};
const GRADE_LABELS: Record<string, string> = { EXCELLENT: '优', GOOD: '良', FAIR: '中', POOR: '差' };

/** Rows of the departments sheet / CSV: rank, department, state, total, grade, execution rate. */
function departmentRows(report: DistrictReport): string[][] {
  return report.ranking.map((r) => [
    String(r.rank),
    r.department.code,
    r.department.name,
    STATE_LABELS[r.state] ?? r.state,
    r.total,
    GRADE_LABELS[r.grade] ?? r.grade,
    r.executionRatePercent === null ? '' : `${r.executionRatePercent}%`,
    r.submittedOnTime === null ? '' : r.submittedOnTime ? '按时' : '逾期',
  ]);
}

const HEADER = ['排名', '部门代码', '部门名称', '状态', '总分', '等级', '执行率', '提交'];
/** Columns of departmentRows that hold numbers the report computed (rank, total, execution rate). */
const NUMBER_COLUMNS = new Set([0, 4, 6]);

/** A spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A number as the report writes it ("-3", "98.35", "-12.50%"): data even when negative, never a formula. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?%?$/;

/**
 * One CSV cell. Text that a spreadsheet would take for a formula (a department named
 * `=HYPERLINK(...)`) is neutralised as OWASP advises: prefixed with a single quote and quoted. A number
 * column keeps its negative numbers as they are; anything else in it is treated as text.
 */
function csvCell(value: string, column: number): string {
  const formula = FORMULA_START.test(value) && !(NUMBER_COLUMNS.has(column) && PLAIN_NUMBER.test(value));
  const text = formula ? `'${value}` : value;
  return formula || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV of the ranking, UTF-8 with a BOM so spreadsheet programs read the Chinese correctly. */
export function reportCsv(report: DistrictReport): string {
  const header = HEADER.map((name) => csvCell(name, -1)).join(',');
  const rows = departmentRows(report).map((row) => row.map(csvCell).join(','));
  return `\uFEFF${[header, ...rows].join('\r\n')}\r\n`;
}

/**
 * XLSX with a summary sheet and a departments sheet; decimals are written as exact text. Every value is
 * a plain string or number cell (exceljs writes a formula only when given `{ formula }`), so a name like
 * `=HYPERLINK(...)` stays text there and is kept exactly as registered.
 */
export async function reportXlsx(report: DistrictReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(report.computedAt);
  const summary = workbook.addWorksheet('汇总');
  summary.columns = [{ width: 24 }, { width: 24 }];
  const rows: Array<[string, string | number]> = [
    ['区', report.districtCode],
    ['年度', report.year],
    ['截止时间', report.deadline ?? ''],
    ['生成时间', report.computedAt],
    ['登记部门数', report.departments],
    ['未填报', report.byState.NONE],
    ['草稿', report.byState.DRAFT],
    ['已提交', report.byState.SUBMITTED],
    ['已退回', report.byState.RETURNED],
    ['已审核', report.byState.APPROVED],
    ['按时提交', report.submittedOnTime],
    ['逾期提交', report.submittedLate],
    ['未提交', report.notSubmitted],
    ['平均分', report.averageTotal ?? ''],
    ['中位数', report.medianTotal ?? ''],
    ['优', report.grades.EXCELLENT],
    ['良', report.grades.GOOD],
    ['中', report.grades.FAIR],
    ['差', report.grades.POOR],
    ['全年预算数(A)合计(万元)', report.budget],
    ['全年执行数(B)合计(万元)', report.executed],
    ['上级转移支付(C)合计(万元)', report.upperTransfer],
    ['执行率', report.executionRatePercent === null ? '' : `${report.executionRatePercent}%`],
  ];
  for (const row of rows) summary.addRow(row);
  const departments = workbook.addWorksheet('部门');
  departments.addRow(HEADER).font = { bold: true };
  for (const row of departmentRows(report)) departments.addRow(row);
  const deductions = workbook.addWorksheet('扣分指标');
  deductions.addRow(['部门', '指标', '分值', '得分', '未完成原因', '改进措施']).font = { bold: true };
  for (const d of report.deductions)
    deductions.addRow([d.department.name, d.indicator, d.weight, d.score, d.shortfallReason, d.improvement]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

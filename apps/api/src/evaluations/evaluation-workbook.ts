import ExcelJS from 'exceljs';
import {
  GRADE_LABELS,
  dec,
  fundingTotals,
  gradeOf,
  plain,
  scoreForm,
  scoreFundingFigures,
  type ExistingEvaluationState,
  type FundingLine,
} from '@app/domain';

/** Eleven columns, the width of the indicator table; the blocks above merge across them like the paper form. */
const WIDTHS = [14, 12, 12, 14, 22, 26, 14, 7, 7, 16, 16];
const THIN = { style: 'thin' } as const;
const LINE_HEIGHT = 15; // points per line at the default 11-point font

/**
 * Lines a text takes in columns of these widths (in character units: a CJK character takes two), with
 * its own line breaks: an estimate, kept on the generous side so nothing is cut off when printed.
 */
function linesNeeded(text: string, widths: number[]): number {
  const capacity = Math.max(
    1,
    widths.reduce((sum, w) => sum + w, 0),
  );
  return text.split('\n').reduce((total, line) => {
    let units = 0;
    for (const char of line) units += char.charCodeAt(0) > 0x2e7f ? 1.95 : 1.1;
    return total + Math.max(1, Math.ceil(units / capacity));
  }, 0);
}
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const STATE_LABELS: Record<string, string> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交',
  RETURNED: '已退回',
  APPROVED: '已审核',
};

/** "83.47%" from a rate, "--" where the budget is zero (the rate is undefined, as on the paper form). */
function rateText(line: Pick<FundingLine, 'budget' | 'executed' | 'upperTransfer'>): string {
  const score = scoreFundingFigures({
    budget: dec(line.budget),
    executed: dec(line.executed),
    upperTransfer: dec(line.upperTransfer),
    weight: dec(0),
  });
  return score.ok ? `${score.ratePercent}%` : '--';
}

/**
 * The form as a spreadsheet laid out like the original 部门整体自评表: title and year, department, the funding
 * block with each source's execution rate and the funding score, functions, goals, the three-level
 * indicator table (first- and second-level cells merged over their rows), and the total. Decimals are
 * written as their exact text, never as binary floating point.
 */
export async function evaluationWorkbook(state: ExistingEvaluationState): Promise<Buffer> {
  const { form } = state;
  const score = scoreForm(form);
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(state.createdAt);
  const sheet = workbook.addWorksheet('部门整体自评表', {
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = WIDTHS.map((width) => ({ width }));
  let row = 0;
  /** Writes values from column `from` (1-based); `merge` spans [first, last] columns of this row. */
  const put = (values: Array<[number, string | number, number?]>) => {
    row += 1;
    let lines = 1;
    for (const [column, value, last] of values) {
      sheet.getCell(row, column).value = value;
      if (last && last > column) sheet.mergeCells(row, column, row, last);
      lines = Math.max(lines, linesNeeded(String(value), WIDTHS.slice(column - 1, last ?? column)));
    }
    // Spreadsheet programs do not grow a row for wrapped text in merged cells: size it here.
    if (lines > 1) sheet.getRow(row).height = lines * LINE_HEIGHT + 4;
    for (let c = 1; c <= WIDTHS.length; c++) {
      const cell = sheet.getCell(row, c);
      cell.border = BORDER;
      cell.alignment = { vertical: 'middle', wrapText: true };
    }
    return row;
  };

  put([[1, '部门整体自评表', 11]]);
  sheet.getCell(row, 1).font = { bold: true, size: 16 };
  sheet.getCell(row, 1).alignment = { horizontal: 'center' };
  put([[1, `(${form.year} 年)  ${STATE_LABELS[state.status] ?? state.status}  第 ${state.version} 版`, 11]]);
  sheet.getCell(row, 1).alignment = { horizontal: 'center' };
  put([
    [1, '部门(单位)名称'],
    [2, form.department.name, 7],
    [8, '所属独立核算单位个数', 10],
    [11, form.independentAccountingUnits],
  ]);

  // Funding block: the first column says 资金情况 in the form's own unit, merged over the block.
  const fundingStart = put([
    [1, `资金情况(${form.funding.unit})`],
    [2, '资金来源'],
    [3, '全年预算数(A)'],
    [4, '全年执行数(B)'],
    [5, '上级财政转移支付(C)'],
    [6, '分值'],
    [7, '执行率((B-C)/A)'],
    [8, '得分', 11],
  ]);
  for (const line of form.funding.lines) {
    put([
      [2, line.source],
      [3, line.budget],
      [4, line.executed],
      [5, line.upperTransfer],
      [6, '--'],
      [7, rateText(line)],
      [8, '--', 11],
    ]);
  }
  const totals = fundingTotals(form.funding.lines);
  put([
    [2, '年度资金总额'],
    [3, plain(totals.budget)],
    [4, plain(totals.executed)],
    [5, plain(totals.upperTransfer)],
    [6, form.funding.weight],
    [7, score.executionRatePercent === null ? '--' : `${score.executionRatePercent}%`],
    [8, score.fundingScore ?? '--', 11],
  ]);
  sheet.mergeCells(fundingStart, 1, row, 1);

  put([
    [1, '部门职能概述'],
    [2, form.functions, 11],
  ]);
  const goalsStart = put([
    [1, '年度总体目标'],
    [2, '年初设定目标', 6],
    [7, '目标完成情况', 11],
  ]);
  put([
    [2, form.goals.planned, 6],
    [7, form.goals.achieved, 11],
  ]);
  sheet.mergeCells(goalsStart, 1, row, 1);

  // Indicator table.
  const header = ['一级指标', '二级指标', '三级指标', '目标内容', '目标值', '完成值', '分值', '得分'];
  const tableStart = put([
    ...header.map((title, i): [number, string] => [i + 2, title]),
    [10, '未完成原因'],
    [11, '改进措施'],
  ]);
  sheet.getRow(tableStart).font = { bold: true };
  const first = row + 1;
  for (const indicator of form.indicators) {
    put([
      [2, indicator.level1],
      [3, indicator.level2],
      [4, indicator.level3],
      [5, indicator.content],
      [6, indicator.target],
      [7, indicator.actual],
      [8, indicator.weight],
      [9, indicator.score ?? ''],
      [10, indicator.shortfallReason],
      [11, indicator.improvement],
    ]);
  }
  const last = row;
  if (last >= first) {
    sheet.getCell(first, 1).value = '年度绩效指标';
    sheet.mergeCells(first, 1, last, 1);
    mergeRuns(sheet, first, last, 2, []);
    mergeRuns(sheet, first, last, 3, [2]);
  }

  const weights = form.indicators.reduce((sum, r) => sum.plus(dec(r.weight)), dec(form.funding.weight));
  put([
    [1, '总分', 7],
    [8, plain(weights)],
    [9, score.total ?? '--', 11],
  ]);
  const finalTotal =
    state.status === 'APPROVED' ? (state.approval.adjustedTotal ?? score.total) : score.total;
  if (state.status === 'APPROVED' && state.approval.adjustedTotal) {
    put([
      [1, '审核调整后总分', 8],
      [9, state.approval.adjustedTotal],
      [10, state.approval.adjustmentReason ?? '', 11],
    ]);
  }
  put([
    [1, '等级', 8],
    [9, finalTotal === null ? '--' : GRADE_LABELS[gradeOf(dec(finalTotal))], 11],
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Merges runs of equal, non-empty text in one column (as the paper form merges 产出指标 over its rows),
 * never across a change in any of the `within` columns.
 */
function mergeRuns(sheet: ExcelJS.Worksheet, first: number, last: number, column: number, within: number[]) {
  const key = (r: number) =>
    [column, ...within].map((c) => String(sheet.getCell(r, c).value ?? '')).join('\u0000');
  let start = first;
  for (let r = first + 1; r <= last + 1; r++) {
    if (r <= last && key(r) === key(start)) continue;
    if (r - 1 > start && sheet.getCell(start, column).value) sheet.mergeCells(start, column, r - 1, column);
    start = r;
  }
}

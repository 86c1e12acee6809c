import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { DistrictReport, RankedDepartment } from '@app/domain';
import { reportCsv, reportXlsx } from './report-files';

const HOSTILE = [
  '=HYPERLINK("http://x","y")',
  '@SUM(1)',
  '+1+1',
  "-2+3+cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
];

function ranked(rank: number, name: string, total: string, rate: string | null): RankedDepartment {
  return {
    rank,
    department: { code: `d${rank}`, name },
    state: 'SUBMITTED',
    total,
    grade: 'GOOD',
    executionRatePercent: rate,
    submittedOnTime: true,
  };
}

/** A report as the worker stores it, with hostile department names and negative numbers. */
function reportWith(names: string[]): DistrictReport {
  return {
    districtCode: 'wangcheng',
    year: 2021,
    deadline: null,
    computedAt: '2022-03-01T08:00:00.000Z',
    departments: names.length + 1,
    byState: { NONE: 0, DRAFT: 0, SUBMITTED: names.length + 1, RETURNED: 0, APPROVED: 0 },
    submittedOnTime: names.length + 1,
    submittedLate: 0,
    notSubmitted: 0,
    basis: names.length + 1,
    averageTotal: '80.00',
    medianTotal: '80.00',
    grades: { EXCELLENT: 0, GOOD: names.length + 1, FAIR: 0, POOR: 0 },
    budget: '100',
    executed: '90',
    upperTransfer: '0',
    executionRatePercent: '90.00',
    deductions: names.map((name, i) => ({
      department: { code: `d${i + 1}`, name },
      rowId: 'r1',
      indicator: name,
      weight: '5',
      score: '4',
      shortfallReason: name,
      improvement: '-',
    })),
    ranking: [
      ...names.map((name, i) => ranked(i + 1, name, '80.00', '90.00')),
      // numbers are data even when negative: not to be touched
      ranked(names.length + 1, '望城区财政局', '-3.50', '-12.50'),
    ],
  };
}

/** The CSV as a spreadsheet program's CSV reader sees it (fast-csv through exceljs), cells as raw text. */
async function csvCells(csv: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  const sheet = await workbook.csv.read(Readable.from([csv.replace(/^\uFEFF/, '')]), {
    map: (datum: string) => datum,
  });
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as string[]).slice(1)));
  return rows;
}

describe('report exports with hostile department names', () => {
  it('the CSV neutralises every text cell a spreadsheet would run as a formula, and keeps negative numbers', async () => {
    const csv = reportCsv(reportWith(HOSTILE));
    const rows = await csvCells(csv);
    expect(rows).toHaveLength(HOSTILE.length + 2);
    const names = rows.slice(1, -1).map((row) => row[2]);
    // each name is there exactly, behind a single quote that makes it text
    expect(names).toEqual(HOSTILE.map((name) => `'${name}`));
    for (const row of rows)
      for (const [column, cell] of row.entries()) {
        if ([0, 4, 6].includes(column) && /^-?\d+(\.\d+)?%?$/.test(cell)) continue;
        expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    const last = rows[rows.length - 1];
    expect([last[0], last[2], last[4], last[6]]).toEqual([
      String(HOSTILE.length + 1),
      '望城区财政局',
      '-3.50',
      '-12.50%',
    ]);
    // the raw text: the formula never starts a field, quoted or not
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csv).toContain(`"'@SUM(1)"`);
    expect(csv).not.toMatch(/(^|,|\r\n)"?[=@]/);
  });

  it('the XLSX keeps the names exactly, as string cells, never formulas', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await reportXlsx(reportWith(HOSTILE))) as never);
    const departments = workbook.getWorksheet('部门')!;
    const deductions = workbook.getWorksheet('扣分指标')!;
    // XML reads a carriage return back as a line feed; otherwise the text is exact
    HOSTILE.map((name) => name.replace(/\r/g, '\n')).forEach((name, i) => {
      const cell = departments.getRow(i + 2).getCell(3);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(name);
      for (const column of [1, 2, 5]) {
        const deduction = deductions.getRow(i + 2).getCell(column);
        expect(deduction.type).toBe(ExcelJS.ValueType.String);
        expect(deduction.value).toBe(name);
      }
    });
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeUndefined();
        }),
      ),
    );
  });
});

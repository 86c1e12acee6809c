import { ZERO, HUNDRED, dec, fixed, type Decimal } from '../decimal/decimal';
import { isPlaceholderRow, type CodeName } from '../evaluation/form/form';
import { fundingTotalsInWan } from '../evaluation/scoring/funding-score';
import { gradeOf, scoreForm, type Grade } from '../evaluation/scoring/form-score';
import type { Evaluation, EvaluationStatus } from '../evaluation/workflow/evaluation';

/** One registered department and its form for the year (status NONE when it has none). */
export interface ReportInput {
  department: CodeName;
  evaluation: Evaluation;
}

export interface RankedDepartment {
  rank: number;
  department: CodeName;
  state: EvaluationStatus;
  total: string;
  grade: Grade;
  executionRatePercent: string | null;
  submittedOnTime: boolean | null;
}

export interface Deduction {
  department: CodeName;
  rowId: string;
  indicator: string;
  weight: string;
  score: string;
  shortfallReason: string;
  improvement: string;
}

/**
 * The district report of docs/workflow.md, as a fact in time. Totals, grades, sums and the ranking count the
 * forms with the supervisor or approved (SUBMITTED, APPROVED): drafts are work in progress. Money is in
 * 万元 whatever unit a form used.
 */
export interface DistrictReport {
  districtCode: string;
  year: number;
  deadline: string | null;
  computedAt: string;
  departments: number;
  byState: Record<'NONE' | EvaluationStatus, number>;
  submittedOnTime: number;
  submittedLate: number;
  notSubmitted: number;
  basis: number;
  averageTotal: string | null;
  medianTotal: string | null;
  grades: Record<Grade, number>;
  budget: string;
  executed: string;
  upperTransfer: string;
  executionRatePercent: string | null;
  deductions: Deduction[];
  ranking: RankedDepartment[];
}

const COUNTED: readonly EvaluationStatus[] = ['SUBMITTED', 'APPROVED'];

function median(sorted: Decimal[]): Decimal | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : sorted[middle - 1].plus(sorted[middle]).div(2);
}

/**
 * What the report keeps of one department's form, taken as soon as the form is read: a province's report
 * then holds 20,000 of these (a few hundred bytes each) rather than 20,000 folded forms (≈ 34 KB each).
 */
export interface DepartmentLine {
  department: CodeName;
  status: 'NONE' | EvaluationStatus;
  firstSubmittedAt: string | null;
  /** set for forms the report counts (with the supervisor or approved) and that have a total */
  counted: {
    total: string;
    executionRatePercent: string | null;
    funding: { budget: Decimal; executed: Decimal; upperTransfer: Decimal };
    deductions: Deduction[];
  } | null;
}

export function departmentLine({ department, evaluation }: ReportInput): DepartmentLine {
  if (evaluation.status === 'NONE')
    return { department, status: 'NONE', firstSubmittedAt: null, counted: null };
  const line = {
    department,
    status: evaluation.status,
    firstSubmittedAt: evaluation.firstSubmittedAt,
    counted: null,
  };
  if (!COUNTED.includes(evaluation.status)) return line;
  const score = scoreForm(evaluation.form);
  const finalTotal =
    evaluation.status === 'APPROVED' ? (evaluation.approval.adjustedTotal ?? score.total) : score.total;
  if (finalTotal === null) return line;
  const deductions: Deduction[] = [];
  for (const row of evaluation.form.indicators) {
    if (isPlaceholderRow(row) || row.score === null || !dec(row.score).lt(row.weight)) continue;
    deductions.push({
      department,
      rowId: row.id,
      indicator: row.content || row.level3 || row.level2,
      weight: row.weight,
      score: row.score,
      shortfallReason: row.shortfallReason,
      improvement: row.improvement,
    });
  }
  return {
    ...line,
    counted: {
      total: finalTotal,
      executionRatePercent: score.executionRatePercent,
      funding: fundingTotalsInWan(evaluation.form.funding),
      deductions,
    },
  };
}

export function buildDistrictReport(
  districtCode: string,
  year: number,
  deadline: string | null,
  lines: readonly DepartmentLine[],
  computedAt: Date,
): DistrictReport {
  const byState: DistrictReport['byState'] = { NONE: 0, DRAFT: 0, SUBMITTED: 0, RETURNED: 0, APPROVED: 0 };
  const grades: DistrictReport['grades'] = { EXCELLENT: 0, GOOD: 0, FAIR: 0, POOR: 0 };
  const deadlineMs = deadline ? new Date(deadline).getTime() : null;
  let onTime = 0;
  let late = 0;
  let budget = ZERO;
  let executed = ZERO;
  let transfer = ZERO;
  const ranked: Array<Omit<RankedDepartment, 'rank'> & { sortKey: Decimal }> = [];
  const deductions: Deduction[] = [];

  for (const { department, status, firstSubmittedAt, counted } of lines) {
    byState[status] += 1;
    if (status === 'NONE') continue;
    const submittedOnTime =
      firstSubmittedAt === null || deadlineMs === null
        ? null
        : new Date(firstSubmittedAt).getTime() <= deadlineMs;
    if (submittedOnTime === true) onTime += 1;
    if (submittedOnTime === false) late += 1;
    if (counted === null) continue;

    budget = budget.plus(counted.funding.budget);
    executed = executed.plus(counted.funding.executed);
    transfer = transfer.plus(counted.funding.upperTransfer);
    const grade = gradeOf(dec(counted.total));
    grades[grade] += 1;
    ranked.push({
      department,
      state: status,
      total: counted.total,
      grade,
      executionRatePercent: counted.executionRatePercent,
      submittedOnTime,
      sortKey: dec(counted.total),
    });
    deductions.push(...counted.deductions);
  }

  // Best first; ties share a rank ("1, 2, 2, 4") and are listed by department code.
  ranked.sort(
    (a, b) => b.sortKey.comparedTo(a.sortKey) || a.department.code.localeCompare(b.department.code),
  );
  const ranking: RankedDepartment[] = [];
  ranked.forEach(({ sortKey: _key, ...entry }, i) => {
    const previous = ranking[i - 1];
    ranking.push({ ...entry, rank: previous && previous.total === entry.total ? previous.rank : i + 1 });
  });
  const totals = ranked.map((r) => r.sortKey).sort((a, b) => a.comparedTo(b));
  const average =
    totals.length === 0 ? null : totals.reduce((sum, t) => sum.plus(t), ZERO).div(totals.length);
  const middle = median(totals);

  return {
    districtCode,
    year,
    deadline,
    computedAt: computedAt.toISOString(),
    departments: lines.length,
    byState,
    submittedOnTime: onTime,
    submittedLate: late,
    notSubmitted: lines.length - onTime - late,
    basis: ranked.length,
    averageTotal: average === null ? null : fixed(average),
    medianTotal: middle === null ? null : fixed(middle),
    grades,
    budget: budget.toFixed(),
    executed: executed.toFixed(),
    upperTransfer: transfer.toFixed(),
    executionRatePercent: budget.isZero() ? null : fixed(executed.minus(transfer).div(budget).times(HUNDRED)),
    deductions,
    ranking,
  };
}

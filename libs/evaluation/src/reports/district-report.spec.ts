import {
  REPORT_DEADLINE as DEADLINE,
  expectedGrade,
  expectedRanking,
  generatedDistrict,
  roundHalfUp,
  show,
} from '../testing/generated-district';
import { foldEvaluation } from '../workflow/evaluation';
import { buildDistrictReport } from './district-report';

/** 150 departments: every state, budgets and execution rates varying, some points deducted. */
function district() {
  const departments = generatedDistrict(150);
  return {
    inputs: departments.map((d) => ({ department: d.department, evaluation: foldEvaluation(d.events) })),
    expected: departments.map((d) => d.expected),
    ranking: expectedRanking(departments),
  };
}

describe('the district report (docs/workflow.md), checked against an independent computation', () => {
  const { inputs, expected, ranking } = district();
  const report = buildDistrictReport('d', 2021, DEADLINE, inputs, new Date('2022-04-05T00:00:00Z'));
  const counted = expected.filter((e) => e.state === 'SUBMITTED' || e.state === 'APPROVED');

  it('counts by state and on-time vs late', () => {
    expect(report.byState).toEqual({ NONE: 30, DRAFT: 30, SUBMITTED: 30, RETURNED: 30, APPROVED: 30 });
    expect(report.submittedOnTime).toBe(expected.filter((e) => e.onTime === true).length);
    expect(report.submittedLate).toBe(expected.filter((e) => e.onTime === false).length);
    expect(report.notSubmitted).toBe(60);
    expect(report.basis).toBe(60);
  });

  it('average, median and grades of the submitted and approved forms', () => {
    const totals = counted.map((e) => e.total!).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const sum = totals.reduce((s, t) => s + t, 0n);
    expect(report.averageTotal).toBe(show(roundHalfUp(sum, BigInt(totals.length))));
    expect(report.medianTotal).toBe(show(roundHalfUp(totals[29] + totals[30], 2n)));
    const grades = { EXCELLENT: 0, GOOD: 0, FAIR: 0, POOR: 0 };
    for (const t of totals) grades[expectedGrade(t)] += 1;
    expect(report.grades).toEqual(grades);
  });

  it('summed A, B, C and the district execution rate', () => {
    const a = counted.reduce((s, e) => s + e.budget, 0n);
    const b = counted.reduce((s, e) => s + e.executed, 0n);
    expect(report.budget).toBe(show(a).replace(/\.?0+$/, ''));
    expect(report.executed).toBe(show(b).replace(/\.?0+$/, ''));
    expect(report.upperTransfer).toBe('0');
    expect(report.executionRatePercent).toBe(show(roundHalfUp(b * 10000n, a)));
  });

  it('every deducted indicator with its reason, and departments ranked by score', () => {
    expect(report.deductions).toHaveLength(counted.filter((e) => e.deducted).length);
    expect(report.deductions[0]).toMatchObject({
      indicator: '区长信箱每日工单数量',
      weight: '5',
      score: '3.5',
      shortfallReason: '来信减少',
      improvement: '加强宣传',
    });
    expect(report.ranking.map((r) => [r.department.code, r.total])).toEqual(
      ranking.map((e) => [e.code, show(e.total!)]),
    );
    for (let i = 1; i < report.ranking.length; i++) {
      const [prev, cur] = [report.ranking[i - 1], report.ranking[i]];
      expect(cur.rank).toBe(prev.total === cur.total ? prev.rank : i + 1);
    }
  });
});

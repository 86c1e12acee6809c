import {
  REPORT_DEADLINE as DEADLINE,
  cents,
  expectedGrade,
  expectedRanking,
  generatedDistrict,
  roundHalfUp,
  show,
} from '../testing/generated-district';
import { history } from '../testing/fixtures';
import { evaluationIdFor, foldEvaluation } from '../evaluation/workflow/evaluation';
import type { EvaluationEvent } from '../evaluation/workflow/events';
import { buildDistrictReport, departmentLine } from './district-report';

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
  const report = buildDistrictReport(
    'd',
    2021,
    DEADLINE,
    inputs.map(departmentLine),
    new Date('2022-04-05T00:00:00Z'),
  );
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
    // Standard competition ranking, by its definition: one more than the number of departments ahead.
    expect(report.ranking.map((r) => r.rank)).toEqual(
      ranking.map((e) => 1 + ranking.filter((other) => other.total! > e.total!).length),
    );
  });
});

/**
 * The ranking rule of docs/workflow.md on small hand-made districts: best final total first, ties share a
 * rank and the next rank skips (standard competition ranking, "1, 2, 2, 4"), tied departments listed by
 * department code. Every expected rank is written out, so a dense ranking ("1, 2, 2, 3"), a ranking that
 * does not share ("1, 2, 3, 4") or one that ranks on the self-assessed total all fail.
 */
describe('the ranking of a district: ties, by final total', () => {
  /** The example form with its indicators folded into one row, so its total is exactly `total`. */
  function formTotalling(code: string, total: string): EvaluationEvent[] {
    const imported = history.imported();
    if (imported.type !== 'EvaluationImported') throw new Error('fixture');
    const form = structuredClone(imported.data.form);
    form.department = { code, name: `部门${code}` };
    // The example's funding scores 8.35; the one row carries the rest of the total.
    form.indicators = [{ ...form.indicators[0], weight: '90', score: show(cents(total) - 835n) }];
    const evaluationId = evaluationIdFor(code, 2021);
    return [{ ...imported, data: { ...imported.data, evaluationId, form } }];
  }

  type Spec =
    | { code: string; total: string; state?: 'SUBMITTED' | 'DRAFT' | 'RETURNED' }
    | { code: string; total: string; state: 'APPROVED'; adjusted: string | null };

  function rankingOf(...departments: Spec[]) {
    const inputs = departments.map((spec) => {
      const events = formTotalling(spec.code, spec.total);
      const evaluationId = evaluationIdFor(spec.code, 2021);
      const withId = (event: EvaluationEvent) =>
        ({ ...event, data: { ...event.data, evaluationId } }) as EvaluationEvent;
      const state = spec.state ?? 'SUBMITTED';
      if (state !== 'DRAFT') events.push(withId(history.submitted()));
      if (state === 'RETURNED') events.push(withId(history.returned()));
      if (spec.state === 'APPROVED') {
        const approved = history.approved();
        if (approved.type !== 'EvaluationApproved') throw new Error('fixture');
        events.push({
          ...approved,
          data: {
            ...approved.data,
            evaluationId,
            selfAssessedTotal: spec.total,
            adjustedTotal: spec.adjusted,
            adjustmentReason: spec.adjusted === null ? null : '复核调整',
          },
        });
      }
      const evaluation = foldEvaluation(events);
      expect(evaluation.status).toBe(state);
      return { department: { code: spec.code, name: `部门${spec.code}` }, evaluation };
    });
    const report = buildDistrictReport(
      'd',
      2021,
      DEADLINE,
      inputs.map(departmentLine),
      new Date('2022-04-05T00:00:00Z'),
    );
    return report.ranking.map((r) => [r.rank, r.department.code, r.total]);
  }

  it('a tie in the middle shares its rank and the next rank skips: 1, 2, 2, 4 (not 1, 2, 2, 3)', () => {
    expect(
      rankingOf(
        { code: 'a', total: '95.00' },
        { code: 'b', total: '90.00' },
        { code: 'c', total: '90.00' },
        { code: 'd', total: '85.00' },
      ),
    ).toEqual([
      [1, 'a', '95.00'],
      [2, 'b', '90.00'],
      [2, 'c', '90.00'],
      [4, 'd', '85.00'],
    ]);
  });

  it('three tied in the middle, then two more ranks: 1, 2, 2, 2, 5, 6', () => {
    expect(
      rankingOf(
        { code: 'a', total: '99.10' },
        { code: 'b', total: '88.88' },
        { code: 'c', total: '88.88' },
        { code: 'd', total: '88.88' },
        { code: 'e', total: '88.87' },
        { code: 'f', total: '70.00' },
      ),
    ).toEqual([
      [1, 'a', '99.10'],
      [2, 'b', '88.88'],
      [2, 'c', '88.88'],
      [2, 'd', '88.88'],
      [5, 'e', '88.87'],
      [6, 'f', '70.00'],
    ]);
  });

  it('two tied groups in a row: 1, 2, 2, 4, 4, 6', () => {
    expect(
      rankingOf(
        { code: 'a', total: '97.00' },
        { code: 'b', total: '93.00' },
        { code: 'c', total: '93.00' },
        { code: 'd', total: '91.50' },
        { code: 'e', total: '91.50' },
        { code: 'f', total: '60.00' },
      ).map(([rank]) => rank),
    ).toEqual([1, 2, 2, 4, 4, 6]);
  });

  it('a tie at the top: 1, 1, 3', () => {
    expect(
      rankingOf({ code: 'a', total: '98.35' }, { code: 'b', total: '98.35' }, { code: 'c', total: '80.00' }),
    ).toEqual([
      [1, 'a', '98.35'],
      [1, 'b', '98.35'],
      [3, 'c', '80.00'],
    ]);
  });

  it('a tie at the bottom: 1, 2, 3, 3 — and a district all tied is all first', () => {
    expect(
      rankingOf(
        { code: 'a', total: '98.00' },
        { code: 'b', total: '97.99' },
        { code: 'c', total: '59.50' },
        { code: 'd', total: '59.50' },
      ),
    ).toEqual([
      [1, 'a', '98.00'],
      [2, 'b', '97.99'],
      [3, 'c', '59.50'],
      [3, 'd', '59.50'],
    ]);
    expect(
      rankingOf({ code: 'a', total: '90.00' }, { code: 'b', total: '90.00' }, { code: 'c', total: '90.00' }),
    ).toEqual([
      [1, 'a', '90.00'],
      [1, 'b', '90.00'],
      [1, 'c', '90.00'],
    ]);
  });

  it('tied departments are listed by department code, whatever order they come in', () => {
    expect(
      rankingOf(
        { code: 'wangcheng-z', total: '90.00' },
        { code: 'wangcheng-top', total: '96.00' },
        { code: 'wangcheng-b', total: '90.00' },
        { code: 'wangcheng-last', total: '80.00' },
        { code: 'wangcheng-a2', total: '90.00' },
        { code: 'wangcheng-a10', total: '90.00' },
      ),
    ).toEqual([
      [1, 'wangcheng-top', '96.00'],
      [2, 'wangcheng-a10', '90.00'],
      [2, 'wangcheng-a2', '90.00'],
      [2, 'wangcheng-b', '90.00'],
      [2, 'wangcheng-z', '90.00'],
      [6, 'wangcheng-last', '80.00'],
    ]);
  });

  it('ties are decided on the final total: an adjusted total ties with an equal self-assessed one', () => {
    expect(
      rankingOf(
        // self-assessed 98.35, adjusted down to 90.00 by the reviewer: ranks with the 90.00s
        { code: 'a', total: '98.35', state: 'APPROVED', adjusted: '90.00' },
        { code: 'b', total: '90.00' },
        // approved without an adjustment: its self-assessed total is final
        { code: 'c', total: '90.00', state: 'APPROVED', adjusted: null },
        // self-assessed 90.00 like b and c, adjusted up: no longer tied with them
        { code: 'd', total: '90.00', state: 'APPROVED', adjusted: '92.00' },
        // the same self-assessed total as a, not adjusted: first alone
        { code: 'e', total: '98.35' },
      ),
    ).toEqual([
      [1, 'e', '98.35'],
      [2, 'd', '92.00'],
      [3, 'a', '90.00'],
      [3, 'b', '90.00'],
      [3, 'c', '90.00'],
    ]);
  });

  it('drafts and returned forms take no rank and leave no gap', () => {
    expect(
      rankingOf(
        { code: 'a', total: '99.00', state: 'DRAFT' },
        { code: 'b', total: '95.00' },
        { code: 'c', total: '95.00', state: 'RETURNED' },
        { code: 'd', total: '95.00' },
        { code: 'e', total: '94.00' },
      ),
    ).toEqual([
      [1, 'b', '95.00'],
      [1, 'd', '95.00'],
      [3, 'e', '94.00'],
    ]);
  });
});

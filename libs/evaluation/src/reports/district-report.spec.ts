import { history } from '../testing/given-when-then';
import { foldEvaluation, type Evaluation } from '../workflow/evaluation';
import type { EvaluationEvent } from '../workflow/events';
import { buildDistrictReport, type ReportInput } from './district-report';

const DEADLINE = '2022-03-31T16:00:00.000Z';
const ON_TIME = '2022-03-20T08:00:00.000Z';
const LATE = '2022-04-02T08:00:00.000Z';

/** Half-up rounding of a non-negative BigInt ratio: the test's own arithmetic, not the library's. */
const roundHalfUp = (numerator: bigint, denominator: bigint) =>
  (numerator * 2n + denominator) / (denominator * 2n);
const cents = (text: string) => BigInt(Math.round(Number(text) * 100)); // inputs here have 2 decimals at most
const show = (hundredths: bigint) => `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;

interface Expected {
  code: string;
  state: string;
  total: bigint | null;
  budget: bigint;
  executed: bigint;
  deducted: number;
  onTime: boolean | null;
}

/** 150 departments: every state, budgets and execution rates varying, some points deducted. */
function district(): { inputs: ReportInput[]; expected: Expected[] } {
  const inputs: ReportInput[] = [];
  const expected: Expected[] = [];
  const imported = history.imported();
  if (imported.type !== 'EvaluationImported') throw new Error('fixture');
  for (let i = 0; i < 150; i++) {
    const code = `d${String(i).padStart(3, '0')}`;
    const department = { code, name: `部门${i}` };
    const kind = i % 5;
    if (kind === 0) {
      inputs.push({ department, evaluation: foldEvaluation([]) });
      expected.push({
        code,
        state: 'NONE',
        total: null,
        budget: 0n,
        executed: 0n,
        deducted: 0,
        onTime: null,
      });
      continue;
    }
    const budget = `${1000 + i}.50`;
    const executed = `${700 + ((i * 7) % 400)}.25`;
    const deduct = i % 3 === 0;
    const form = structuredClone(imported.data.form);
    form.department = department;
    form.funding.lines[0] = { ...form.funding.lines[0], budget, executed };
    if (deduct)
      Object.assign(form.indicators[0], {
        score: '3.5',
        shortfallReason: '来信减少',
        improvement: '加强宣传',
      });
    const events: EvaluationEvent[] = [
      { type: 'EvaluationImported', data: { ...imported.data, evaluationId: `${code}.2021`, form } },
    ];
    const submit = (at: string): EvaluationEvent =>
      ({
        ...history.submitted(new Date(at)),
        data: { ...history.submitted(new Date(at)).data, evaluationId: `${code}.2021` },
      }) as EvaluationEvent;
    if (kind === 2) events.push(submit(ON_TIME));
    if (kind === 3)
      events.push(submit(LATE), {
        ...history.approved(),
        data: {
          ...(history.approved().data as object),
          evaluationId: `${code}.2021`,
          adjustedTotal: i % 2 ? '80.00' : null,
        },
      } as EvaluationEvent);
    if (kind === 4) events.push(submit(ON_TIME), history.returned());
    const evaluation: Evaluation = foldEvaluation(events);
    inputs.push({ department, evaluation });

    // Independent: funding score in hundredths = round(10 × (B − C) / A × 100), capped to [0, 1000].
    const a = cents(budget);
    const b = cents(executed);
    let funding = roundHalfUp(1000n * b, a);
    if (funding > 1000n) funding = 1000n;
    const indicators = 9000n - (deduct ? 150n : 0n);
    const selfTotal = funding + indicators;
    const total = kind === 3 && i % 2 ? 8000n : selfTotal;
    expected.push({
      code,
      state: ['NONE', 'DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED'][kind],
      total,
      budget: a,
      executed: b,
      deducted: deduct ? 1 : 0,
      onTime: kind === 2 || kind === 4 ? true : kind === 3 ? false : null,
    });
  }
  return { inputs, expected };
}

describe('the district report (DOMAIN.md §7), checked against an independent computation', () => {
  const { inputs, expected } = district();
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
    const grade = (t: bigint) =>
      t >= 9000n ? 'EXCELLENT' : t >= 8000n ? 'GOOD' : t >= 6000n ? 'FAIR' : 'POOR';
    const grades = { EXCELLENT: 0, GOOD: 0, FAIR: 0, POOR: 0 };
    for (const t of totals) grades[grade(t)] += 1;
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
    const order = [...counted].sort((x, y) =>
      x.total! > y.total! ? -1 : x.total! < y.total! ? 1 : x.code.localeCompare(y.code),
    );
    expect(report.ranking.map((r) => [r.department.code, r.total])).toEqual(
      order.map((e) => [e.code, show(e.total!)]),
    );
    for (let i = 1; i < report.ranking.length; i++) {
      const [prev, cur] = [report.ranking[i - 1], report.ranking[i]];
      expect(cur.rank).toBe(prev.total === cur.total ? prev.rank : i + 1);
    }
  });
});

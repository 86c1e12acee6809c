import type { CodeName } from '../evaluation/form/form';
import { evaluationIdFor } from '../evaluation/workflow/evaluation';
import type { EvaluationEvent } from '../evaluation/workflow/events';
import { history } from './fixtures';

export const REPORT_YEAR = 2021;
export const REPORT_DEADLINE = '2022-03-31T16:00:00.000Z';
const ON_TIME = '2022-03-20T08:00:00.000Z';
const LATE = '2022-04-02T08:00:00.000Z';

/** Half-up rounding of a non-negative BigInt ratio: the tests' own arithmetic, not the library's. */
export const roundHalfUp = (numerator: bigint, denominator: bigint) =>
  (numerator * 2n + denominator) / (denominator * 2n);
/** Hundredths of a decimal text with at most 2 places, by string surgery (no floating point). */
export const cents = (text: string) => {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
};
export const show = (hundredths: bigint) =>
  `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;

/** What a department should contribute to the report, computed with integers only. */
export interface ExpectedDepartment {
  code: string;
  name: string;
  state: 'NONE' | 'DRAFT' | 'SUBMITTED' | 'APPROVED' | 'RETURNED';
  /** final total (the reviewer's adjusted one where given) in hundredths */
  total: bigint | null;
  /** A and B in hundredths of 万元 */
  budget: bigint;
  executed: bigint;
  deducted: number;
  onTime: boolean | null;
}

export interface GeneratedDepartment {
  department: CodeName;
  evaluationId: string;
  /** the form's history; empty for a department that never started its form */
  events: EvaluationEvent[];
  expected: ExpectedDepartment;
}

const withId = (event: EvaluationEvent, evaluationId: string) =>
  ({ ...event, data: { ...event.data, evaluationId } }) as EvaluationEvent;

/**
 * A district of `count` departments (codes d000…), every state in turn, budgets and execution rates
 * varying, some indicator points deducted, submissions on time and late against REPORT_DEADLINE, some
 * approvals with an adjusted total.
 */
export function generatedDistrict(count = 150): GeneratedDepartment[] {
  const imported = history.imported();
  if (imported.type !== 'EvaluationImported') throw new Error('fixture');
  const result: GeneratedDepartment[] = [];
  for (let i = 0; i < count; i++) {
    const department = { code: `d${String(i).padStart(3, '0')}`, name: `部门${i}` };
    const evaluationId = evaluationIdFor(department.code, REPORT_YEAR);
    const kind = i % 5;
    const state = (['NONE', 'DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED'] as const)[kind];
    if (kind === 0) {
      result.push({
        department,
        evaluationId,
        events: [],
        expected: { ...department, state, total: null, budget: 0n, executed: 0n, deducted: 0, onTime: null },
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
    const adjusted = kind === 3 && i % 2 === 1;
    const events: EvaluationEvent[] = [{ ...imported, data: { ...imported.data, form } }];
    if (kind === 2) events.push(history.submitted(new Date(ON_TIME)));
    if (kind === 3) {
      const approved = history.approved();
      events.push(history.submitted(new Date(LATE)), {
        ...approved,
        data: { ...approved.data, adjustedTotal: adjusted ? '80.00' : null },
      } as EvaluationEvent);
    }
    if (kind === 4) events.push(history.submitted(new Date(ON_TIME)), history.returned());

    // Funding score in hundredths = round(10 × (B − C) / A × 100), capped to [0, 1000]; C is 0 here.
    const a = cents(budget);
    const b = cents(executed);
    let funding = roundHalfUp(1000n * b, a);
    if (funding > 1000n) funding = 1000n;
    const indicators = 9000n - (deduct ? 150n : 0n);
    result.push({
      department,
      evaluationId,
      events: events.map((event) => withId(event, evaluationId)),
      expected: {
        ...department,
        state,
        total: adjusted ? 8000n : funding + indicators,
        budget: a,
        executed: b,
        deducted: deduct ? 1 : 0,
        onTime: kind === 2 || kind === 4 ? true : kind === 3 ? false : null,
      },
    });
  }
  return result;
}

/** The departments a report counts (submitted or approved), ranked by final total, then code. */
export function expectedRanking(departments: GeneratedDepartment[]): ExpectedDepartment[] {
  return departments
    .map((d) => d.expected)
    .filter((e) => e.state === 'SUBMITTED' || e.state === 'APPROVED')
    .sort((x, y) => (x.total! > y.total! ? -1 : x.total! < y.total! ? 1 : x.code.localeCompare(y.code)));
}

export const expectedGrade = (hundredths: bigint) =>
  hundredths >= 9000n ? 'EXCELLENT' : hundredths >= 8000n ? 'GOOD' : hundredths >= 6000n ? 'FAIR' : 'POOR';

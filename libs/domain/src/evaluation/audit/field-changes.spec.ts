import { EVALUATION_ID, history } from '../../testing/fixtures';
import { foldEvaluation } from '../workflow/evaluation';
import type { EvaluationEvent } from '../workflow/events';
import { changesOf, diffForms } from './field-changes';

const edits: EvaluationEvent[] = [
  history.imported(),
  {
    type: 'IndicatorChanged',
    data: { evaluationId: EVALUATION_ID, rowId: 'r1', before: { actual: '6' }, after: { actual: '7' } },
  },
  { type: 'IndicatorMoved', data: { evaluationId: EVALUATION_ID, rowId: 'r1', fromIndex: 0, toIndex: 3 } },
  { type: 'FundingWeightChanged', data: { evaluationId: EVALUATION_ID, before: '10', after: '12' } },
  {
    type: 'GoalsChanged',
    data: {
      evaluationId: EVALUATION_ID,
      before: { planned: 'a', achieved: 'b' },
      after: { planned: 'a', achieved: 'c' },
    },
  },
];

describe('field-level changes for auditors', () => {
  it('each edit event names its field by stable row id, with before and after', () => {
    expect(changesOf(edits[1])).toEqual([{ path: 'indicators[r1].actual', before: '6', after: '7' }]);
    expect(changesOf(edits[2])).toEqual([{ path: 'indicators[r1].position', before: '0', after: '3' }]);
    expect(changesOf(edits[3])).toEqual([{ path: 'funding.weight', before: '10', after: '12' }]);
    expect(changesOf(edits[4])).toEqual([{ path: 'goals.achieved', before: 'b', after: 'c' }]);
  });

  it('an approval with an adjusted total shows both totals and the reason', () => {
    const approval: EvaluationEvent = {
      type: 'EvaluationApproved',
      data: {
        evaluationId: EVALUATION_ID,
        approvedAt: 'x',
        by: { id: 's', role: 'SUPERVISOR' },
        comment: '',
        selfAssessedTotal: '98.35',
        adjustedTotal: '95.00',
        adjustmentReason: '执行率偏低',
      },
    };
    expect(changesOf(approval)).toEqual([
      { path: 'state', before: 'SUBMITTED', after: 'APPROVED' },
      { path: 'review.adjustedTotal', before: '98.35', after: '95.00' },
      { path: 'review.adjustmentReason', before: null, after: '执行率偏低' },
    ]);
  });

  it('the diff between two versions lists exactly what the events in between changed', () => {
    const atImport = foldEvaluation(edits.slice(0, 1));
    const now = foldEvaluation(edits);
    if (atImport.status === 'NONE' || now.status === 'NONE') throw new Error('not created');
    // GoalsChanged 'before' in the fixture is synthetic; compare the form's own goals instead.
    expect(diffForms(atImport.form, now.form)).toEqual([
      { path: 'funding.weight', before: '10', after: '12' },
      { path: 'goals.planned', before: atImport.form.goals.planned, after: 'a' },
      { path: 'goals.achieved', before: atImport.form.goals.achieved, after: 'c' },
      { path: 'indicators[r1].actual', before: '6', after: '7' },
      {
        path: 'indicators.order',
        before: JSON.stringify(atImport.form.indicators.map((r) => r.id)),
        after: JSON.stringify(now.form.indicators.map((r) => r.id)),
      },
    ]);
  });

  it('the state at a version is the fold of the first n events', () => {
    const v2 = foldEvaluation(edits.slice(0, 2));
    expect(v2).toMatchObject({ version: 2 });
    if (v2.status === 'NONE') throw new Error();
    expect(v2.form.indicators[0]).toMatchObject({ id: 'r1', actual: '7' });
    expect(v2.form.funding.weight).toBe('10');
  });
});

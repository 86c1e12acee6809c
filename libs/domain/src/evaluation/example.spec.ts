import { assessForm } from './validation/validate-form';
import { readEvaluationDocument } from './interchange/evaluation-document';
import {
  actors,
  department,
  district,
  exampleDocument,
  meta,
  EVALUATION_ID,
  LATER,
} from '../testing/fixtures';
import { decide } from './workflow/decide';
import { foldEvaluation, evolve } from './workflow/evaluation';

describe('the real 2021 form of 长沙市望城区社会治理服务中心', () => {
  it('is imported, scores 98.35 (优), and is accepted on submission', () => {
    const imported = decide(
      {
        type: 'ImportEvaluation',
        data: {
          evaluationId: EVALUATION_ID,
          content: readEvaluationDocument(exampleDocument()),
          department,
          district,
        },
        metadata: meta(actors.clerk),
      },
      foldEvaluation([]),
    );
    const draft = foldEvaluation(imported);
    if (draft.status !== 'DRAFT') throw new Error(`expected a draft, got ${draft.status}`);

    const { score, validation } = assessForm(draft.form);
    expect(score).toMatchObject({
      executionRatePercent: '83.47',
      fundingScore: '8.35',
      total: '98.35',
      grade: 'EXCELLENT',
    });
    expect(validation.errors).toEqual([]);

    const submitted = decide(
      { type: 'SubmitEvaluation', data: {}, metadata: meta(actors.clerk, draft.version, LATER) },
      draft,
    );
    const after = submitted.reduce(evolve, draft);
    expect(after).toMatchObject({ status: 'SUBMITTED', version: 2, lastSubmittedAt: LATER.toISOString() });
    expect(submitted[0].data).toMatchObject({ total: '98.35' });
  });
});

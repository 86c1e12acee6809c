import { startTestApp, type TestApp } from '../testing/test-app';
import {
  DEPARTMENT,
  EVALUATION_FIELDS,
  EVALUATION_ID,
  actors,
  seedExample,
  codeOf,
} from '../testing/graphql-fixtures';

describe('GraphQL over HTTP: the life of the example form', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp()));
  afterAll(() => api.close());

  it('import, submit, return, edit, resubmit, approve with an adjusted total, then audit it', async () => {
    const imported = await seedExample(api);
    expect(imported).toMatchObject({
      id: EVALUATION_ID,
      version: 1,
      state: 'DRAFT',
      department: DEPARTMENT,
      score: {
        executionRatePercent: '83.47',
        fundingScore: '8.35',
        indicatorTotal: '90.00',
        total: '98.35',
        grade: 'EXCELLENT',
      },
      validation: { errors: [] },
      declared: { executionRate: '83.47%', fundingScore: '8.35', totalScore: '98.35' },
    });
    expect(imported.indicators).toHaveLength(17);
    expect(imported.indicators[0]).toMatchObject({
      id: 'r1',
      target: '5-20',
      actual: '6',
      suggestion: { score: '5.00', path: 'RANGE_MET' },
    });

    const step = async (
      mutation: string,
      actor: (typeof actors)[keyof typeof actors],
      variables: Record<string, unknown> = {},
    ) => {
      const response = await api.gql(mutation, variables, actor).expect(200);
      expect(response.body.errors).toBeUndefined();
      return Object.values(response.body.data)[0] as any;
    };
    const submitted = await step(
      `mutation { submitEvaluation(id: "${EVALUATION_ID}", expectedVersion: 1) { state version } }`,
      actors.clerk,
    );
    expect(submitted).toEqual({ state: 'SUBMITTED', version: 2 });
    const returned = await step(
      `mutation { returnEvaluation(id: "${EVALUATION_ID}", expectedVersion: 2, comment: "请说明执行率偏低的原因") { state version review { returnComment } } }`,
      actors.supervisor,
    );
    expect(returned).toEqual({
      state: 'RETURNED',
      version: 3,
      review: { returnComment: '请说明执行率偏低的原因' },
    });
    const edited = await step(
      `mutation($g: GoalsInput) { updateNarrative(id: "${EVALUATION_ID}", expectedVersion: 3, input: { goals: $g }) { version goals { achieved } } }`,
      actors.clerk,
      { g: { achieved: '执行率偏低系项目延期所致。' } },
    );
    expect(edited).toEqual({ version: 4, goals: { achieved: '执行率偏低系项目延期所致。' } });
    await step(
      `mutation { submitEvaluation(id: "${EVALUATION_ID}", expectedVersion: 4) { version } }`,
      actors.clerk,
    );
    const approved = await step(
      `mutation { approveEvaluation(id: "${EVALUATION_ID}", expectedVersion: 5, comment: "同意", adjustedTotal: "95", adjustmentReason: "执行率偏低") { state version score { total adjustedTotal finalTotal grade } review { approvalComment adjustmentReason } } }`,
      actors.supervisor,
    );
    expect(approved).toEqual({
      state: 'APPROVED',
      version: 6,
      score: { total: '98.35', adjustedTotal: '95.00', finalTotal: '95.00', grade: 'EXCELLENT' },
      review: { approvalComment: '同意', adjustmentReason: '执行率偏低' },
    });

    const audit = await api
      .gql(
        `{ evaluationHistory(id: "${EVALUATION_ID}", first: 10) { edges { node { version type actor { id role } changes { path before after } } } pageInfo { hasNextPage } }
           atImport: evaluationAt(id: "${EVALUATION_ID}", version: 1) { version state goals { achieved } score { total } }
           evaluationDiff(id: "${EVALUATION_ID}", fromVersion: 1, toVersion: 6) { path before after }
           verifyEvaluationIntegrity(id: "${EVALUATION_ID}") { ok checkedEvents firstBrokenVersion } }`,
        {},
        actors.auditor,
      )
      .expect(200);
    expect(audit.body.errors).toBeUndefined();
    const { evaluationHistory, atImport, evaluationDiff, verifyEvaluationIntegrity } = audit.body.data;
    expect(evaluationHistory.edges.map((e: any) => [e.node.version, e.node.type, e.node.actor.role])).toEqual(
      [
        [1, 'EvaluationImported', 'DEPARTMENT'],
        [2, 'EvaluationSubmitted', 'DEPARTMENT'],
        [3, 'EvaluationReturned', 'SUPERVISOR'],
        [4, 'GoalsChanged', 'DEPARTMENT'],
        [5, 'EvaluationSubmitted', 'DEPARTMENT'],
        [6, 'EvaluationApproved', 'SUPERVISOR'],
      ],
    );
    expect(evaluationHistory.edges[3].node.changes).toEqual([
      {
        path: 'goals.achieved',
        before: expect.stringContaining('截止12月31日'),
        after: '执行率偏低系项目延期所致。',
      },
    ]);
    expect(atImport).toMatchObject({ version: 1, state: 'DRAFT', score: { total: '98.35' } });
    expect(atImport.goals.achieved).toContain('截止12月31日');
    expect(evaluationDiff).toEqual([
      { path: 'goals.achieved', before: atImport.goals.achieved, after: '执行率偏低系项目延期所致。' },
    ]);
    expect(verifyEvaluationIntegrity).toEqual({ ok: true, checkedEvents: 6, firstBrokenVersion: null });

    const listed = await api
      .gql(
        `{ evaluations(filter: { year: 2021, state: APPROVED }, sort: TOTAL_DESC, first: 10) { totalCount edges { node { id score { finalTotal } } } }
           districtDashboard(districtCode: "wangcheng", year: 2021) { evaluations byState { approved } averageTotal medianTotal grades { excellent } budget executionRatePercent } }`,
        {},
        actors.supervisor,
      )
      .expect(200);
    expect(listed.body.data.evaluations).toEqual({
      totalCount: 1,
      edges: [{ node: { id: EVALUATION_ID, score: { finalTotal: '95.00' } } }],
    });
    expect(listed.body.data.districtDashboard).toEqual({
      evaluations: 1,
      byState: { approved: 1 },
      averageTotal: '95.00',
      medianTotal: '95.00',
      grades: { excellent: 1 },
      budget: '1081.19',
      executionRatePercent: '83.47',
    });
  });

  it('two clients editing the same version: one succeeds, the other gets VERSION_CONFLICT with the current version', async () => {
    await api
      .gql(
        `mutation { reopenEvaluation(id: "${EVALUATION_ID}", expectedVersion: 6, reason: "复查") { version } }`,
        {},
        actors.supervisor,
      )
      .expect(200);
    const edit = (actual: string) =>
      api.gql(
        `mutation { updateIndicator(id: "${EVALUATION_ID}", expectedVersion: 7, rowId: "r1", input: { actual: "${actual}" }) { version indicators { actual } } }`,
        {},
        actors.clerk,
      );
    const [a, b] = await Promise.all([edit('7'), edit('8')]);
    const bodies = [a.body, b.body];
    const won = bodies.filter((body) => !body.errors);
    const lost = bodies.filter((body) => body.errors);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].errors[0].extensions).toEqual({ code: 'VERSION_CONFLICT', currentVersion: 8 });
    const now = await api.gql(
      `{ evaluation(id: "${EVALUATION_ID}") { version indicators { actual } } }`,
      {},
      actors.clerk,
    );
    expect(now.body.data.evaluation.version).toBe(8);
    expect(now.body.data.evaluation.indicators[0].actual).toBe(
      won[0].data.updateIndicator.indicators[0].actual,
    );
  });

  it('submitting with errors is refused with every error code at once', async () => {
    const current = (await api.gql(`{ evaluation(id: "${EVALUATION_ID}") { version } }`, {}, actors.clerk))
      .body.data.evaluation.version;
    const broken = await api.gql(
      `mutation { updateIndicator(id: "${EVALUATION_ID}", expectedVersion: ${current}, rowId: "r2", input: { score: "4", weight: "6" }) { version } }`,
      {},
      actors.clerk,
    );
    const version = broken.body.data.updateIndicator.version;
    const refused = await api.gql(
      `mutation { submitEvaluation(id: "${EVALUATION_ID}", expectedVersion: ${version}) { version } }`,
      {},
      actors.clerk,
    );
    expect(codeOf(refused.body)).toBe('VALIDATION_FAILED');
    expect(refused.body.errors[0].extensions.errors.map((e: any) => e.code)).toEqual([
      'WEIGHTS_NOT_100',
      'SHORTFALL_REASON_MISSING',
    ]);
  });

  it('an illegal transition names itself', async () => {
    const current = (await api.gql(`{ evaluation(id: "${EVALUATION_ID}") { version } }`, {}, actors.clerk))
      .body.data.evaluation.version;
    const response = await api.gql(
      `mutation { approveEvaluation(id: "${EVALUATION_ID}", expectedVersion: ${current}) { version } }`,
      {},
      actors.supervisor,
    );
    expect(response.body.errors[0].extensions).toEqual({
      code: 'INVALID_TRANSITION',
      reason: 'APPROVE_FROM_RETURNED',
    });
  });

  it('the evaluation query shows the fields of the contract', async () => {
    const response = await api
      .gql(`{ evaluation(id: "${EVALUATION_ID}") { ${EVALUATION_FIELDS} } }`, {}, actors.auditor)
      .expect(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.evaluation.funding).toEqual({
      unit: '万元',
      weight: '10',
      lines: [{ id: 'f1', source: '财政拨款', budget: '1081.19', executed: '902.42', upperTransfer: '0' }],
    });
  });
});

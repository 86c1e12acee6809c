import { CompiledQueries } from './compiled-queries';
import { EVALUATION_FIELDS, EVALUATION_ID, actors, codeOf, seedExample } from '../testing/graphql-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';

/**
 * Repeated queries are answered by graphql-jit (compiled on their second use). Whatever executes them, a
 * client must get the same answer, byte for byte, and the same errors.
 */
describe('compiled queries over HTTP', () => {
  let api: TestApp;
  let compiled: CompiledQueries;

  beforeAll(async () => {
    api = await startTestApp();
    compiled = api.app.get(CompiledQueries);
    await seedExample(api);
    // History with a return, an edit and an approval: reviews, adjusted totals and changes to show.
    let version = (await api.gql(`{ evaluation(id: "${EVALUATION_ID}") { version } }`, {}, actors.clerk)).body
      .data.evaluation.version;
    const step = async (who: keyof typeof actors, field: string, args = '') => {
      const answer = await api.gql(
        `mutation($id: ID!, $v: Int!) { ${field}(id: $id, expectedVersion: $v${args}) { version } }`,
        { id: EVALUATION_ID, v: version },
        actors[who],
      );
      expect(answer.body.errors).toBeUndefined();
      version = answer.body.data[field].version;
    };
    await step('clerk', 'submitEvaluation');
    await step('supervisor', 'returnEvaluation', ', comment: "请补充说明"');
    await step('clerk', 'updateIndicator', ', rowId: "r1", input: { actual: "97%" }');
    await step('clerk', 'submitEvaluation');
    await step('supervisor', 'approveEvaluation', ', adjustedTotal: "88.5", adjustmentReason: "抽查扣分"');
  }, 60_000);

  afterAll(() => api?.close());

  const cases: Array<[string, string, Record<string, unknown>, keyof typeof actors]> = [
    [
      'a form with every field',
      `{ evaluation(id: "${EVALUATION_ID}") { ${EVALUATION_FIELDS} } }`,
      {},
      'clerk',
    ],
    [
      'variables, aliases, fragments and __typename',
      `query Form($id: ID!) { a: evaluation(id: $id) { ...F } b: evaluation(id: $id) { __typename id } }
       fragment F on Evaluation { __typename version indicators { id weight suggestion { score derivation bandMin bandMax } } }`,
      { id: EVALUATION_ID },
      'supervisor',
    ],
    [
      'a filtered, sorted list',
      '{ evaluations(filter: { districtCode: "wangcheng", year: 2021 }, sort: TOTAL_DESC, first: 5) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id state score { total adjustedTotal finalTotal grade } review { approvedAt approvedBy { id role } adjustmentReason returnedAt } submittedAt createdAt } } } }',
      {},
      'supervisor',
    ],
    [
      'history with field changes',
      `query($id: ID!) { evaluationHistory(id: $id, first: 50) { pageInfo { hasNextPage } edges { cursor node { version type actor { id role } occurredAt correlationId changes { path before after } } } } }`,
      { id: EVALUATION_ID },
      'auditor',
    ],
    [
      'a past version, a diff and the integrity check',
      `query($id: ID!) { evaluationAt(id: $id, version: 1) { version state score { total } }
         evaluationDiff(id: $id, fromVersion: 1, toVersion: 4) { path before after }
         verifyEvaluationIntegrity(id: $id) { ok checkedEvents firstBrokenVersion } }`,
      { id: EVALUATION_ID },
      'auditor',
    ],
    [
      'the district dashboard and registry',
      '{ districtDashboard(districtCode: "wangcheng", year: 2021) { districtCode year evaluations budget executed executionRatePercent averageTotal medianTotal updatedAt } districts { code name } departments { code name } }',
      {},
      'supervisor',
    ],
    [
      '@include and @skip driven by variables',
      `query($id: ID!, $rows: Boolean!, $noScore: Boolean!) { evaluation(id: $id) {
         id indicators @include(if: $rows) { id } score @skip(if: $noScore) { total } } }`,
      { id: EVALUATION_ID, rows: false, noScore: false },
      'clerk',
    ],
    [
      'introspection (development only)',
      '{ __schema { queryType { name } types { name kind } } __type(name: "Evaluation") { fields { name type { name kind ofType { name } } } } }',
      {},
      'auditor',
    ],
    [
      'a form out of scope (null, as missing)',
      `{ evaluation(id: "${EVALUATION_ID}") { id } }`,
      {},
      'otherSupervisor',
    ],
  ];

  it.each(cases)('%s: the compiled answer is the interpreted one', async (_name, query, variables, who) => {
    const before = { ...compiled.counts };
    const interpreted = await api.gql(query, variables, actors[who]).expect(200);
    expect(interpreted.body.errors).toBeUndefined();
    const again = await api.gql(query, variables, actors[who]).expect(200);
    const third = await api.gql(query, variables, actors[who]).expect(200);
    expect(compiled.counts.compiledAnswers - before.compiledAnswers).toBe(2);
    expect(again.text).toBe(interpreted.text);
    expect(third.text).toBe(interpreted.text);
  });

  it('a compiled document with other variables answers as graphql-js does for them', async () => {
    const query = `query($id: ID!, $rows: Boolean!) { evaluation(id: $id) { id indicators @include(if: $rows) { id actual } } }`;
    for (let i = 0; i < 2; i++) await api.gql(query, { id: EVALUATION_ID, rows: false }, actors.clerk);
    const before = compiled.counts.compiledAnswers;
    const fromCompiled = await api.gql(query, { id: EVALUATION_ID, rows: true }, actors.clerk).expect(200);
    expect(compiled.counts.compiledAnswers).toBe(before + 1);
    // The same text plus a space is another document to Apollo: seen once, so graphql-js executes it.
    const fromGraphqlJs = await api.gql(`${query} `, { id: EVALUATION_ID, rows: true }, actors.clerk);
    expect(compiled.counts.compiledAnswers).toBe(before + 1);
    expect(fromCompiled.body.data.evaluation.indicators).toHaveLength(17);
    expect(fromCompiled.text).toBe(fromGraphqlJs.text);
  });

  it('errors come from graphql-js as before: codes, paths and HTTP statuses', async () => {
    const query = `query($id: ID!) { evaluation(id: $id) { id version } }`;
    const before = { ...compiled.counts };
    const anonymous = [];
    for (let i = 0; i < 3; i++) anonymous.push(await api.gql(query, { id: EVALUATION_ID }, null));
    expect(anonymous.map((r) => codeOf(r.body))).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);
    expect(new Set(anonymous.map((r) => r.text)).size).toBe(1);

    const badVariables = [];
    for (let i = 0; i < 3; i++)
      badVariables.push(await api.gql(query, { id: { not: 'an id' } }, actors.clerk));
    expect(badVariables.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(new Set(badVariables.map((r) => r.text)).size).toBe(1);
    // Compiled from the second request on: those five tried the compiled query, got errors and were
    // answered by graphql-js (the texts above are all alike); none was answered by the compiled query.
    expect(compiled.counts.handedBack - before.handedBack).toBe(5);
    expect(compiled.counts.compiledAnswers).toBe(before.compiledAnswers);
  });

  it('mutations are never compiled: repeated, each runs once and is answered by graphql-js', async () => {
    const before = { ...compiled.counts };
    const mutation = 'mutation($i: RegisterDistrictInput!) { registerDistrict(input: $i) { code } }';
    for (const code of ['jit-a', 'jit-b', 'jit-c']) {
      const answer = await api.gql(mutation, { i: { code, name: code } }, actors.admin).expect(200);
      expect(answer.body.data.registerDistrict.code).toBe(code);
    }
    expect(compiled.counts).toEqual(before);
  });
});

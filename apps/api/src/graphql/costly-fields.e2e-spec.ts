import { startTestApp, type TestApp } from '../testing/test-app';
import { EVALUATION_ID, actors, codeOf, seedExample } from '../testing/graphql-fixtures';

/**
 * Fields whose work is not in what they return (folding a stream, hashing it, reading a stored report,
 * queueing a job) cost what they do: one of each is answered, fifty aliases of one are refused before
 * anything runs.
 */
describe('costly fields against the query cost limit', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  const aliased = (count: number, field: string) =>
    Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');

  it.each([
    ['evaluationAt', `evaluationAt(id: "${EVALUATION_ID}", version: 1) { version }`],
    ['evaluationDiff', `evaluationDiff(id: "${EVALUATION_ID}", fromVersion: 1, toVersion: 1) { path }`],
    ['verifyEvaluationIntegrity', `verifyEvaluationIntegrity(id: "${EVALUATION_ID}") { ok }`],
    ['districtReport', 'districtReport(districtCode: "wangcheng", year: 2021) { id }'],
    ['departments', 'departments { code }'],
  ])('%s: once is answered, fifty times is QUERY_TOO_COMPLEX', async (_name, field) => {
    const once = await api.gql(`{ ${field} }`, {}, actors.admin);
    expect(once.body.errors).toBeUndefined();
    const fifty = await api.gql(`{ ${aliased(50, field)} }`, {}, actors.admin);
    expect([fifty.status, codeOf(fifty.body)]).toEqual([400, 'QUERY_TOO_COMPLEX']);
  });

  it('a report request costs a job: a handful of districts at once, not fifty', async () => {
    const fifty = await api.gql(
      `mutation { ${aliased(50, 'requestDistrictReport(districtCode: "nowhere", year: 2021) { id }')} }`,
      {},
      actors.admin,
    );
    expect([fifty.status, codeOf(fifty.body)]).toEqual([400, 'QUERY_TOO_COMPLEX']);
  });

  it('a page of notifications costs its size', async () => {
    const pages = await api.gql(
      `{ ${aliased(10, 'notifications(first: 100) { edges { node { id kind milestone cycleId deadline } } }')} }`,
      {},
      actors.clerk,
    );
    expect([pages.status, codeOf(pages.body)]).toEqual([400, 'QUERY_TOO_COMPLEX']);
  });

  it('a report is requested only for a year a cycle may have', async () => {
    for (const year of [1, 1999, 2101, 99999]) {
      const response = await api.gql(
        `mutation { requestDistrictReport(districtCode: "wangcheng", year: ${year}) { id } }`,
        {},
        actors.admin,
      );
      expect(response.body.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        problems: [{ code: 'INVALID_VALUE', path: 'year', message: '年度应在 2000 到 2100 之间' }],
      });
    }
  });
});

import { startTestApp, type TestApp } from '../testing/test-app';
import { EVALUATION_ID, actors, codeOf, seedExample } from '../testing/graphql-fixtures';

/** Lists other than the evaluations list page the same way: by a cursor for the last row shown. */
describe('paging a form’s history', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
    for (let version = 1; version <= 4; version++) {
      const edit = await api.gql(
        `mutation { updateNarrative(id: "${EVALUATION_ID}", expectedVersion: ${version}, input: { functions: "职能 ${version}" }) { version } }`,
        {},
        actors.clerk,
      );
      expect(edit.body.data.updateNarrative.version).toBe(version + 1);
    }
  });
  afterAll(() => api.close());

  const page = (after: string | null) =>
    api.gql(
      'query($after: String) { evaluationHistory(id: "wangcheng-shzlfwzx.2021", first: 2, after: $after) { edges { node { version } } pageInfo { hasNextPage endCursor } } }',
      { after },
      actors.auditor,
    );

  it('two at a time gives every version once, in order, and says when it is done', async () => {
    const versions: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const history: {
        edges: Array<{ node: { version: number } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      } = (await page(after)).body.data.evaluationHistory;
      versions.push(...history.edges.map((edge) => edge.node.version));
      if (!history.pageInfo.hasNextPage) break;
      after = history.pageInfo.endCursor;
    }
    expect(versions).toEqual([1, 2, 3, 4, 5]);
  });

  it('a cursor that this list did not give out is BAD_USER_INPUT on after', async () => {
    const response = await page(Buffer.from('version:abc').toString('base64url'));
    expect(codeOf(response.body)).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].extensions.problems).toEqual([
      expect.objectContaining({ code: 'INVALID_VALUE', path: 'after' }),
    ]);
  });
});

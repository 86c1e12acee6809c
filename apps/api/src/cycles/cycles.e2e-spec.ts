import { startTestApp, type TestApp } from '../testing/test-app';
import { actors, seedExample, codeOf } from '../testing/graphql-fixtures';

const OPEN = 'mutation($i: OpenCycleInput!) { openCycle(input: $i) { id districtCode year deadline } }';

describe('cycles over GraphQL', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  it('an admin opens a cycle once; others may not; a bad deadline names its field', async () => {
    const input = { districtCode: 'wangcheng', year: 2021, deadline: '2022-03-31T23:59:59+08:00' };
    for (const actor of [actors.clerk, actors.supervisor, actors.auditor])
      expect(codeOf((await api.gql(OPEN, { i: input }, actor)).body)).toBe('FORBIDDEN');
    expect(codeOf((await api.gql(OPEN, { i: { ...input, deadline: 'soon' } }, actors.admin)).body)).toBe(
      'BAD_USER_INPUT',
    );
    const opened = await api.gql(OPEN, { i: input }, actors.admin);
    expect(opened.body.data.openCycle).toEqual({
      id: 'wangcheng.2021',
      districtCode: 'wangcheng',
      year: 2021,
      deadline: '2022-03-31T15:59:59.000Z',
    });
    expect(codeOf((await api.gql(OPEN, { i: input }, actors.admin)).body)).toBe('ALREADY_EXISTS');
  });

  it('moves the deadline', async () => {
    const moved = await api.gql(
      'mutation { moveCycleDeadline(districtCode: "wangcheng", year: 2021, deadline: "2022-04-15T18:00:00+08:00") { deadline } }',
      {},
      actors.admin,
    );
    expect(moved.body.data.moveCycleDeadline).toEqual({ deadline: '2022-04-15T10:00:00.000Z' });
    const missing = await api.gql(
      'mutation { moveCycleDeadline(districtCode: "wangcheng", year: 2030, deadline: "2031-01-01T00:00:00Z") { deadline } }',
      {},
      actors.admin,
    );
    expect(codeOf(missing.body)).toBe('NOT_FOUND');
  });
});

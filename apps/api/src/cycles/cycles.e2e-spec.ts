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

  it('is read by whoever reads the district dashboard, within their district; elsewhere as missing', async () => {
    const CYCLE = 'query($d: String!, $y: Int!) { cycle(districtCode: $d, year: $y) { id deadline } }';
    const read = async (actor: (typeof actors)[keyof typeof actors], d = 'wangcheng', y = 2021) =>
      (await api.gql(CYCLE, { d, y }, actor)).body;
    for (const actor of [actors.supervisor, actors.auditor, actors.admin])
      expect((await read(actor)).data.cycle).toEqual({
        id: 'wangcheng.2021',
        deadline: '2022-04-15T10:00:00.000Z',
      });
    // another district's open cycle and a year without one answer alike
    await api.gql(
      'mutation { registerDistrict(input: { code: "yuelu", name: "岳麓区" }) { code } }',
      {},
      actors.admin,
    );
    const other = { districtCode: 'yuelu', year: 2021, deadline: '2022-03-31T23:59:59+08:00' };
    expect((await api.gql(OPEN, { i: other }, actors.admin)).body.data.openCycle.id).toBe('yuelu.2021');
    expect((await read(actors.admin, 'yuelu')).data.cycle.id).toBe('yuelu.2021');
    expect((await read(actors.supervisor, 'yuelu')).data.cycle).toBeNull();
    expect((await read(actors.auditor, 'yuelu')).data.cycle).toBeNull();
    expect((await read(actors.supervisor, 'wangcheng', 2030)).data.cycle).toBeNull();
    expect(codeOf(await read(actors.clerk))).toBe('FORBIDDEN');
  });
});

import { startTestApp, type TestApp } from '../testing/test-app';
import { actors, codeOf, seedExample } from '../testing/graphql-fixtures';

describe('listing districts and departments, within each caller’s scope', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api); // wangcheng with wangcheng-shzlfwzx and wangcheng-other
    for (const [query, input] of [
      ['registerDistrict', { code: 'yuelu', name: '长沙市岳麓区' }],
      ['registerDepartment', { code: 'yuelu-jyj', name: '岳麓区教育局', districtCode: 'yuelu' }],
    ] as const) {
      const type = query === 'registerDistrict' ? 'RegisterDistrictInput' : 'RegisterDepartmentInput';
      const response = await api.gql(
        `mutation($i: ${type}!) { ${query}(input: $i) { code } }`,
        { i: input },
        actors.admin,
      );
      expect(response.body.errors).toBeUndefined();
    }
  });
  afterAll(() => api.close());

  const departments = async (actor: (typeof actors)[keyof typeof actors], district?: string) => {
    const response = await api.gql(
      'query($d: String) { departments(districtCode: $d) { code name district { code name } } }',
      { d: district ?? null },
      actor,
    );
    expect(response.body.errors).toBeUndefined();
    return response.body.data.departments.map((d: { code: string }) => d.code);
  };
  const districts = async (actor: (typeof actors)[keyof typeof actors]) =>
    (await api.gql('{ districts { code name } }', {}, actor)).body.data.districts.map(
      (d: { code: string }) => d.code,
    );

  it('an admin sees every registered department and district, and can filter by district', async () => {
    expect(await departments(actors.admin)).toEqual(['wangcheng-other', 'wangcheng-shzlfwzx', 'yuelu-jyj']);
    expect(await departments(actors.admin, 'yuelu')).toEqual(['yuelu-jyj']);
    expect(await districts(actors.admin)).toEqual(['wangcheng', 'yuelu']);
    const one = await api.gql(
      '{ departments(districtCode: "yuelu") { name district { name } } }',
      {},
      actors.admin,
    );
    expect(one.body.data.departments).toEqual([{ name: '岳麓区教育局', district: { name: '长沙市岳麓区' } }]);
  });

  it('a supervisor or auditor sees their district only; another district looks empty', async () => {
    expect(await departments(actors.supervisor)).toEqual(['wangcheng-other', 'wangcheng-shzlfwzx']);
    expect(await departments(actors.supervisor, 'yuelu')).toEqual([]);
    expect(await departments(actors.otherAuditor)).toEqual(['yuelu-jyj']);
    expect(await districts(actors.supervisor)).toEqual(['wangcheng']);
  });

  it('a department sees itself and its district', async () => {
    expect(await departments(actors.clerk)).toEqual(['wangcheng-shzlfwzx']);
    expect(await departments(actors.clerk, 'yuelu')).toEqual([]);
    expect(await districts(actors.clerk)).toEqual(['wangcheng']);
  });

  it('refuses anonymous callers', async () => {
    const response = await api.gql('{ departments { code } }');
    expect(codeOf(response.body)).toBe('UNAUTHENTICATED');
  });
});

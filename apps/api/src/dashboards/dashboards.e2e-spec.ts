import { startTestApp, type TestApp } from '../testing/test-app';
import { actors, codeOf, seedExample } from '../testing/graphql-fixtures';
import { DEPARTMENT, EVALUATION_ID } from '@app/domain/testing/fixtures';

const NOT_SUBMITTED = '{ departmentsNotSubmitted(districtCode: "wangcheng", year: 2021) { code } }';

describe('departments that have not submitted', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  const codes = async (actor: (typeof actors)[keyof typeof actors]) =>
    (await api.gql(NOT_SUBMITTED, {}, actor)).body.data.departmentsNotSubmitted.map(
      (d: { code: string }) => d.code,
    );

  it('lists a draft and a department without a form, then not a submitted form; within scope only', async () => {
    expect(await codes(actors.supervisor)).toEqual([DEPARTMENT.code, 'wangcheng-other'].sort());
    const submitted = await api.gql(
      `mutation { submitEvaluation(id: "${EVALUATION_ID}", expectedVersion: 1) { state } }`,
      {},
      actors.clerk,
    );
    expect(submitted.body.data.submitEvaluation.state).toBe('SUBMITTED');
    for (const actor of [actors.supervisor, actors.auditor, actors.admin])
      expect(await codes(actor)).toEqual(['wangcheng-other']);
    // another district's reviewer sees nothing of it, as if it had no departments
    expect(await codes(actors.otherSupervisor)).toEqual([]);
    expect(codeOf((await api.gql(NOT_SUBMITTED, {}, actors.clerk)).body)).toBe('FORBIDDEN');
  });
});

import request from 'supertest';
import type { Actor } from '@app/domain';
import { startTestApp, type TestApp } from '../testing/test-app';
import {
  EVALUATION_ID,
  FORM_MUTATIONS,
  actors,
  exampleDocument,
  formMutation,
  seedExample,
  codeOf,
} from '../testing/graphql-fixtures';

const ID = EVALUATION_ID;

/** Every mutation on the example form, in DRAFT at version 1. */
const MUTATIONS = Object.fromEntries(
  Object.keys(FORM_MUTATIONS).map((name) => [name, formMutation(name, ID)]),
);
const DEPARTMENT_MUTATIONS = [
  'updateFunding',
  'addFundingLine',
  'changeFundingLine',
  'removeFundingLine',
  'updateNarrative',
  'addIndicator',
  'updateIndicator',
  'removeIndicator',
  'moveIndicator',
  'submitEvaluation',
  'withdrawEvaluation',
];
const SUPERVISOR_MUTATIONS = ['returnEvaluation', 'approveEvaluation', 'reopenEvaluation'];

describe('who may do what (docs/access.md), over HTTP', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  const as = (actor: Actor | null, query: string, variables = {}) => api.gql(query, variables, actor);

  it('without a token, or with a bad one, every operation is UNAUTHENTICATED', async () => {
    for (const mutation of Object.values(MUTATIONS))
      expect(codeOf((await as(null, mutation)).body)).toBe('UNAUTHENTICATED');
    expect(codeOf((await as(null, `{ evaluation(id: "${ID}") { id } }`)).body)).toBe('UNAUTHENTICATED');
    const response = await request(api.app.getHttpServer())
      .post('/graphql')
      .set('authorization', 'Bearer not.a.token')
      .send({ query: `{ evaluation(id: "${ID}") { id } }` });
    expect(codeOf(response.body)).toBe('UNAUTHENTICATED');
  });

  it.each(DEPARTMENT_MUTATIONS)(
    '%s: FORBIDDEN for a supervisor, auditor or admin; NOT_FOUND for another department',
    async (name) => {
      for (const actor of [actors.supervisor, actors.auditor, actors.admin])
        expect(codeOf((await as(actor, MUTATIONS[name])).body)).toBe('FORBIDDEN');
      expect(codeOf((await as(actors.otherClerk, MUTATIONS[name])).body)).toBe('NOT_FOUND');
    },
  );

  it.each(SUPERVISOR_MUTATIONS)(
    '%s: FORBIDDEN for the clerk, auditor and admin; NOT_FOUND for another district',
    async (name) => {
      for (const actor of [actors.clerk, actors.auditor, actors.admin])
        expect(codeOf((await as(actor, MUTATIONS[name])).body)).toBe('FORBIDDEN');
      expect(codeOf((await as(actors.otherSupervisor, MUTATIONS[name])).body)).toBe('NOT_FOUND');
    },
  );

  it('registering is for admins only', async () => {
    const mutation = `mutation { registerDistrict(input: { code: "yuelu", name: "岳麓区" }) { code } }`;
    for (const actor of [actors.clerk, actors.supervisor, actors.auditor])
      expect(codeOf((await as(actor, mutation)).body)).toBe('FORBIDDEN');
    expect((await as(actors.admin, mutation)).body.data.registerDistrict).toEqual({ code: 'yuelu' });
    expect(codeOf((await as(actors.admin, mutation)).body)).toBe('ALREADY_EXISTS');
  });

  it('creating or importing for another department reads as unregistered; a second form for the year is ALREADY_EXISTS', async () => {
    const create = (code: string) =>
      `mutation { createEvaluation(input: { departmentCode: "${code}", year: 2021 }) { id } }`;
    expect(codeOf((await as(actors.otherClerk, create('wangcheng-shzlfwzx'))).body)).toBe('BAD_USER_INPUT');
    expect(codeOf((await as(actors.supervisor, create('wangcheng-shzlfwzx'))).body)).toBe('FORBIDDEN');
    expect(codeOf((await as(actors.clerk, create('wangcheng-shzlfwzx'))).body)).toBe('ALREADY_EXISTS');
    const imported = await as(
      actors.otherClerk,
      'mutation($d: JSON!) { importEvaluation(document: $d) { id } }',
      { d: exampleDocument() },
    );
    expect(imported.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [
        {
          code: 'INVALID_VALUE',
          path: '$.department.code',
          message: '部门 wangcheng-shzlfwzx 未登记，或不在您的权限范围内',
        },
      ],
    });
    expect((await as(actors.otherClerk, create('wangcheng-other'))).body.data.createEvaluation).toEqual({
      id: 'wangcheng-other.2021',
    });
  });

  it('reads are scoped: out of scope looks exactly like missing', async () => {
    const read = `{ evaluation(id: "${ID}") { id } evaluations { totalCount edges { node { id } } } }`;
    const missing = `{ evaluation(id: "nobody.2021") { id } }`;
    expect((await as(actors.clerk, read)).body.data.evaluation).toEqual({ id: ID });
    expect((await as(actors.supervisor, read)).body.data.evaluations.totalCount).toBe(2);
    expect((await as(actors.otherClerk, read)).body.data).toEqual({
      evaluation: null,
      evaluations: { totalCount: 1, edges: [{ node: { id: 'wangcheng-other.2021' } }] },
    });
    expect((await as(actors.otherSupervisor, read)).body.data).toEqual({
      evaluation: null,
      evaluations: { totalCount: 0, edges: [] },
    });
    expect((await as(actors.otherSupervisor, missing)).body).toEqual(
      (await as(actors.otherSupervisor, read.replace(/evaluations.*$/, '}'))).body,
    );
  });

  it('audit queries: auditors, supervisors and admins in scope; departments are FORBIDDEN; other districts see nothing', async () => {
    const audit = `{ evaluationHistory(id: "${ID}") { edges { node { version } } } verifyEvaluationIntegrity(id: "${ID}") { ok } districtDashboard(districtCode: "wangcheng", year: 2021) { evaluations } }`;
    for (const actor of [actors.auditor, actors.supervisor, actors.admin]) {
      const body = (await as(actor, audit)).body;
      expect(body.errors).toBeUndefined();
      expect(body.data.verifyEvaluationIntegrity).toEqual({ ok: true });
      expect(body.data.districtDashboard).toEqual({ evaluations: 2 });
    }
    expect(codeOf((await as(actors.clerk, audit)).body)).toBe('FORBIDDEN');
    expect((await as(actors.otherAuditor, audit)).body.data).toEqual({
      evaluationHistory: null,
      verifyEvaluationIntegrity: null,
      districtDashboard: null,
    });
  });
});

import request from 'supertest';
import type { EventStore, ProjectionHost, SqliteDatabase } from '@app/event-store';
import type { Actor } from '@app/domain';
import { generateDistrictReport, reportStreamId } from '@app/application';
import { EVENT_STORE, PROJECTIONS, READ_MODELS } from '../event-store/event-store.module';
import { download } from '../testing/downloads';
import { startTestApp, type TestApp } from '../testing/test-app';
import {
  EVALUATION_ID,
  FORM_MUTATIONS,
  actors,
  codeOf,
  exampleDocument,
  formMutation,
  seedExample,
} from '../testing/graphql-fixtures';
import { departmentsOfDistrict } from '@app/read-models';

/**
 * Out of scope must look exactly like missing (docs/access.md), for every mutation and REST route: the same
 * status and the same body, byte for byte once the id asked for is masked. Each case is asked twice by
 * the same caller: once naming something that exists outside its scope, once naming nothing at all.
 */
const MISSING_FORM = 'wangcheng-nobody.2021';
const MISSING_DISTRICT = 'nowhere';
const MISSING_DEPARTMENT = 'wangcheng-nobody';

const wangchengAdmin: Actor = { id: 'admin-wc', role: 'ADMIN', district: 'wangcheng' };
const yueluAdmin: Actor = { id: 'admin-yl', role: 'ADMIN', district: 'yuelu' };

/** Callers for whom the example form (wangcheng) is out of scope, each in a role that could act on one. */
const OUTSIDERS: Record<string, Actor> = {
  'a clerk of another department': actors.otherClerk,
  'a supervisor of another district': actors.otherSupervisor,
  'an auditor of another district': actors.otherAuditor,
  'an admin of another district': yueluAdmin,
};

/** An answer as a client sees it, with the one thing that must differ (what was asked for) masked. */
function masked(response: request.Response, ...names: string[]): string {
  const body = Buffer.isBuffer(response.body)
    ? response.body.toString('utf8')
    : JSON.stringify(response.body);
  let text = `${response.status} ${response.headers['content-type']} ${body}`;
  for (const name of names) text = text.split(name).join('<asked>');
  return text;
}

describe('out of scope is answered exactly like missing, for every mutation and REST route', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
    // A report for wangcheng, so the report downloads have something to hide.
    const store = api.app.get<EventStore>(EVENT_STORE);
    await generateDistrictReport(
      store,
      departmentsOfDistrict(api.app.get<SqliteDatabase>(READ_MODELS), 'wangcheng'),
      'wangcheng',
      2021,
      new Date('2022-04-05T00:00:00Z'),
      'out-of-scope-spec',
    );
    await api.app.get<ProjectionHost>(PROJECTIONS).waitFor((await store.headPosition())!, {
      streamId: reportStreamId('wangcheng', 2021),
      timeoutMs: 10_000,
    });
    await api
      .gql(
        'mutation { openCycle(input: { districtCode: "wangcheng", year: 2021, deadline: "2030-03-31T23:59:59+08:00" }) { id } }',
        {},
        actors.admin,
      )
      .expect(200);
  });
  afterAll(() => api.close());

  const ask = (actor: Actor, query: string, variables: Record<string, unknown> = {}) =>
    api.gql(query, variables, actor);

  describe.each(Object.entries(OUTSIDERS))('%s', (_who, outsider) => {
    it.each(Object.keys(FORM_MUTATIONS))('%s', async (name) => {
      const existing = await ask(outsider, formMutation(name, EVALUATION_ID));
      const missing = await ask(outsider, formMutation(name, MISSING_FORM));
      expect(codeOf(existing.body)).toBe('NOT_FOUND');
      expect(masked(existing, EVALUATION_ID)).toBe(masked(missing, MISSING_FORM));
    });

    it('GET /evaluations/:id.xlsx', async () => {
      const server = api.app.getHttpServer();
      const existing = await download(server, `/evaluations/${EVALUATION_ID}.xlsx`, api.token(outsider));
      const missing = await download(server, `/evaluations/${MISSING_FORM}.xlsx`, api.token(outsider));
      expect(existing.status).toBe(404);
      expect(masked(existing, EVALUATION_ID)).toBe(masked(missing, MISSING_FORM));
    });
  });

  it('a form outside the caller’s scope is refused without reading it, as a missing one is (same cost, long history or not)', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const read = jest.spyOn(store, 'readStream');
    try {
      for (const outsider of Object.values(OUTSIDERS)) {
        await ask(outsider, formMutation('updateNarrative', EVALUATION_ID));
        await ask(outsider, `{ evaluation(id: "${EVALUATION_ID}") { id } }`);
        await download(api.app.getHttpServer(), `/evaluations/${EVALUATION_ID}.xlsx`, api.token(outsider));
      }
      expect(read.mock.calls.filter(([streamId]) => streamId === `evaluation-${EVALUATION_ID}`)).toEqual([]);
      // and the form is read for someone in scope
      await ask(actors.supervisor, `{ evaluation(id: "${EVALUATION_ID}") { id } }`);
      expect(read.mock.calls.some(([streamId]) => streamId === `evaluation-${EVALUATION_ID}`)).toBe(true);
    } finally {
      read.mockRestore();
    }
  });

  it('createEvaluation and importEvaluation: a department outside the caller’s scope reads as unregistered', async () => {
    const create = (code: string) =>
      `mutation { createEvaluation(input: { departmentCode: "${code}", year: 2022 }) { id } }`;
    const existing = await ask(actors.otherClerk, create('wangcheng-shzlfwzx'));
    const missing = await ask(actors.otherClerk, create(MISSING_DEPARTMENT));
    expect(codeOf(existing.body)).toBe('BAD_USER_INPUT');
    expect(masked(existing, 'wangcheng-shzlfwzx')).toBe(masked(missing, MISSING_DEPARTMENT));

    const importAs = (actor: Actor, code: string) => {
      const document = exampleDocument();
      document.year = 2022;
      document.department.code = code;
      return ask(actor, 'mutation($d: JSON!) { importEvaluation(document: $d) { id } }', { d: document });
    };
    for (const actor of [actors.otherClerk, yueluAdmin]) {
      const imported = await importAs(actor, 'wangcheng-shzlfwzx');
      const unregistered = await importAs(actor, MISSING_DEPARTMENT);
      expect(codeOf(imported.body)).toBe('BAD_USER_INPUT');
      expect(masked(imported, 'wangcheng-shzlfwzx')).toBe(masked(unregistered, MISSING_DEPARTMENT));
    }
  });

  it('registry, cycles and reports: another district and no district read the same', async () => {
    const cases: Array<[Actor, (district: string) => string]> = [
      [
        yueluAdmin,
        (d) =>
          `mutation { registerDepartment(input: { code: "${d}-new", name: "新部门", districtCode: "${d}" }) { code } }`,
      ],
      [
        yueluAdmin,
        (d) =>
          `mutation { openCycle(input: { districtCode: "${d}", year: 2022, deadline: "2030-03-31T23:59:59+08:00" }) { id } }`,
      ],
      [
        yueluAdmin,
        (d) =>
          `mutation { moveCycleDeadline(districtCode: "${d}", year: 2021, deadline: "2030-04-30T23:59:59+08:00") { id } }`,
      ],
      [
        actors.otherSupervisor,
        (d) => `mutation { requestDistrictReport(districtCode: "${d}", year: 2021) { id } }`,
      ],
      [yueluAdmin, (d) => `mutation { requestDistrictReport(districtCode: "${d}", year: 2021) { id } }`],
    ];
    for (const [actor, mutation] of cases) {
      const existing = await ask(actor, mutation('wangcheng'));
      const missing = await ask(actor, mutation(MISSING_DISTRICT));
      expect(existing.body.errors).toBeDefined();
      expect(masked(existing, 'wangcheng')).toBe(masked(missing, MISSING_DISTRICT));
    }
  });

  it('a registered district that does not exist is not queued for a report, even for a global admin', async () => {
    const response = await ask(
      actors.admin,
      `mutation { requestDistrictReport(districtCode: "${MISSING_DISTRICT}", year: 2021) { id } }`,
    );
    expect(codeOf(response.body)).toBe('NOT_FOUND');
  });

  it('GET /reports/:district/:year.(csv|xlsx)', async () => {
    const server = api.app.getHttpServer();
    for (const outsider of [actors.otherSupervisor, actors.otherAuditor, yueluAdmin]) {
      for (const type of ['csv', 'xlsx']) {
        const existing = await download(server, `/reports/wangcheng/2021.${type}`, api.token(outsider));
        const missing = await download(
          server,
          `/reports/${MISSING_DISTRICT}/2021.${type}`,
          api.token(outsider),
        );
        expect(existing.status).toBe(404);
        expect(masked(existing, 'wangcheng')).toBe(masked(missing, MISSING_DISTRICT));
      }
    }
    // and the report is there for those in scope
    for (const insider of [actors.supervisor, wangchengAdmin, actors.admin])
      expect((await download(server, '/reports/wangcheng/2021.csv', api.token(insider))).status).toBe(200);
  });
});

describe('district-scoped administrators', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  const ask = (actor: Actor, query: string, variables: Record<string, unknown> = {}) =>
    api.gql(query, variables, actor);

  it('see and act on their own district only', async () => {
    const read = `{ evaluation(id: "${EVALUATION_ID}") { id } evaluations { totalCount } departments(districtCode: "wangcheng") { code } districts { code } districtDashboard(districtCode: "wangcheng", year: 2021) { evaluations } }`;
    expect((await ask(wangchengAdmin, read)).body.data).toEqual({
      evaluation: { id: EVALUATION_ID },
      evaluations: { totalCount: 1 },
      departments: [{ code: 'wangcheng-other' }, { code: 'wangcheng-shzlfwzx' }],
      districts: [{ code: 'wangcheng' }],
      districtDashboard: { evaluations: 1 },
    });
    expect((await ask(yueluAdmin, read)).body.data).toEqual({
      evaluation: null,
      evaluations: { totalCount: 0 },
      departments: [],
      districts: [],
      districtDashboard: null,
    });
    const register = (district: string) =>
      `mutation { registerDepartment(input: { code: "${district}-czj", name: "财政局", districtCode: "${district}" }) { code } }`;
    expect((await ask(wangchengAdmin, register('wangcheng'))).body.data).toEqual({
      registerDepartment: { code: 'wangcheng-czj' },
    });
    expect(codeOf((await ask(yueluAdmin, register('wangcheng'))).body)).toBe('FORBIDDEN');
    // Only an administrator of every district registers districts.
    expect(
      codeOf(
        (
          await ask(
            wangchengAdmin,
            'mutation { registerDistrict(input: { code: "kaifu", name: "开福区" }) { code } }',
          )
        ).body,
      ),
    ).toBe('FORBIDDEN');
    const open = (district: string) =>
      `mutation { openCycle(input: { districtCode: "${district}", year: 2021, deadline: "2030-03-31T23:59:59+08:00" }) { id } }`;
    expect((await ask(wangchengAdmin, open('wangcheng'))).body.data).toEqual({
      openCycle: { id: 'wangcheng.2021' },
    });
    expect(codeOf((await ask(yueluAdmin, open('wangcheng'))).body)).toBe('FORBIDDEN');
  });

  it('are refused at the queue board, which spans every district; a global admin is let in', async () => {
    const server = api.app.getHttpServer();
    for (const admin of [wangchengAdmin, yueluAdmin]) {
      const byHeader = await request(server)
        .get('/admin/queues/api/queues')
        .set('authorization', `Bearer ${api.token(admin)}`)
        .expect(403);
      expect(codeOf(byHeader.body)).toBe('FORBIDDEN');
      await request(server)
        .get(`/admin/queues?token=${api.token(admin)}`)
        .expect(403);
      await request(server)
        .get('/admin/queues/')
        .set('cookie', `perf_eval_admin=${api.token(admin)}`)
        .expect(403);
    }
    await request(server)
      .get(`/admin/queues?token=${api.token(actors.admin)}`)
      .expect(303);
  });
});

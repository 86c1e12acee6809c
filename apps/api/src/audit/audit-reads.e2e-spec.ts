import type request from 'supertest';
import type { EventStore } from '@app/event-store';
import type { Actor } from '@app/domain';
import { encodeCursor } from '../common/connection';
import { EVENT_STORE } from '../event-store/event-store.module';
import { startTestApp, type TestApp } from '../testing/test-app';
import { EVALUATION_ID, actors, codeOf, seedExample } from '../testing/graphql-fixtures';

/** A form nobody created, in a department nobody registered: in every caller's scope, and missing. */
const MISSING_FORM = 'wangcheng-nobody.2021';
const STREAM = `evaluation-${EVALUATION_ID}`;

const yueluAdmin: Actor = { id: 'admin-yl', role: 'ADMIN', district: 'yuelu' };
const wangchengAdmin: Actor = { id: 'admin-wc', role: 'ADMIN', district: 'wangcheng' };

/** Callers of the audit queries for whom the example form (wangcheng) is out of scope. */
const OUTSIDERS: Record<string, Actor> = {
  'an auditor of another district': actors.otherAuditor,
  'a supervisor of another district': actors.otherSupervisor,
  'an admin of another district': yueluAdmin,
};
/** Callers of the audit queries for whom it is in scope. */
const INSIDERS: Actor[] = [actors.auditor, actors.supervisor, wangchengAdmin, actors.admin];

const HISTORY =
  'query($id: ID!, $first: Int, $after: String) { evaluationHistory(id: $id, first: $first, after: $after) { edges { cursor node { version type } } pageInfo { hasNextPage endCursor } } }';
const AT =
  'query($id: ID!, $version: Int, $at: DateTime) { evaluationAt(id: $id, version: $version, at: $at) { id version state } }';
const DIFF =
  'query($id: ID!, $from: Int!, $to: Int!) { evaluationDiff(id: $id, fromVersion: $from, toVersion: $to) { path before after } }';
const INTEGRITY =
  'query($id: ID!) { verifyEvaluationIntegrity(id: $id) { ok checkedEvents firstBrokenVersion } }';

/** Every audit query, with the arguments that take each of its paths (all of them valid but the bad cursor). */
const QUERIES: Record<string, [string, Record<string, unknown>]> = {
  'evaluationHistory, first page': [HISTORY, {}],
  'evaluationHistory, after a cursor it gave out': [HISTORY, { first: 2, after: encodeCursor([2]) }],
  'evaluationHistory, past the last version': [HISTORY, { after: encodeCursor([99]) }],
  'evaluationHistory, after a cursor it did not give out': [HISTORY, { after: 'not-a-cursor' }],
  'evaluationAt a version': [AT, { version: 2 }],
  'evaluationAt version 0': [AT, { version: 0 }],
  'evaluationAt a version past the end': [AT, { version: 99 }],
  'evaluationAt an instant': [AT, { at: '2030-01-01T00:00:00Z' }],
  'evaluationAt an instant before the form': [AT, { at: '2000-01-01T00:00:00Z' }],
  evaluationDiff: [DIFF, { from: 1, to: 3 }],
  'evaluationDiff backwards': [DIFF, { from: 3, to: 1 }],
  'evaluationDiff from before the form to past the end': [DIFF, { from: -1, to: 99 }],
  'evaluationDiff to version 0': [DIFF, { from: 2, to: 0 }],
  verifyEvaluationIntegrity: [INTEGRITY, {}],
};

/** An answer as a client sees it, with what was asked for masked. */
function masked(response: request.Response, name: string): string {
  return `${response.status} ${response.headers['content-type']} ${JSON.stringify(response.body).split(name).join('<asked>')}`;
}

describe('the audit queries read the form once, and out of scope still reads exactly like missing', () => {
  let api: TestApp;
  let store: EventStore;

  beforeAll(async () => {
    api = await startTestApp();
    store = api.app.get<EventStore>(EVENT_STORE);
    await seedExample(api);
    for (let version = 1; version <= 3; version++) {
      const edit = await api.gql(
        `mutation { updateNarrative(id: "${EVALUATION_ID}", expectedVersion: ${version}, input: { functions: "职能 ${version}" }) { version } }`,
        {},
        actors.clerk,
      );
      expect(edit.body.data.updateNarrative.version).toBe(version + 1);
    }
  });
  afterAll(() => api.close());

  const ask = (actor: Actor, [query, variables]: [string, Record<string, unknown>], id: string) =>
    api.gql(query, { ...variables, id }, actor);

  /** The calls to readStream on the example form's stream while `asking` runs. */
  async function readsOfTheForm(asking: () => Promise<unknown>): Promise<number> {
    const read = jest.spyOn(store, 'readStream');
    try {
      await asking();
      return read.mock.calls.filter(([streamId]) => streamId === STREAM).length;
    } finally {
      read.mockRestore();
    }
  }

  describe.each(Object.entries(OUTSIDERS))('%s', (_who, outsider) => {
    it.each(Object.keys(QUERIES))(
      '%s: the form out of scope answers as a missing one does, for an outsider and an insider',
      async (name) => {
        let existing!: request.Response;
        expect(
          await readsOfTheForm(async () => {
            existing = await ask(outsider, QUERIES[name], EVALUATION_ID);
          }),
        ).toBe(0);
        const missing = await ask(outsider, QUERIES[name], MISSING_FORM);
        const missingInScope = await ask(actors.auditor, QUERIES[name], MISSING_FORM);
        expect(existing.body.errors).toBeUndefined();
        expect(masked(existing, EVALUATION_ID)).toBe(masked(missing, MISSING_FORM));
        expect(masked(existing, EVALUATION_ID)).toBe(masked(missingInScope, MISSING_FORM));
      },
    );
  });

  it('a missing form answers null or nothing, whatever the arguments', async () => {
    for (const actor of INSIDERS) {
      const answers: Record<string, unknown> = {};
      for (const [name, query] of Object.entries(QUERIES)) {
        const response = await ask(actor, query, MISSING_FORM);
        expect(response.body.errors).toBeUndefined();
        answers[name] = Object.values(response.body.data as Record<string, unknown>)[0];
      }
      expect(answers).toEqual({
        'evaluationHistory, first page': null,
        'evaluationHistory, after a cursor it gave out': null,
        'evaluationHistory, past the last version': null,
        'evaluationHistory, after a cursor it did not give out': null,
        'evaluationAt a version': null,
        'evaluationAt version 0': null,
        'evaluationAt a version past the end': null,
        'evaluationAt an instant': null,
        'evaluationAt an instant before the form': null,
        evaluationDiff: [],
        'evaluationDiff backwards': [],
        'evaluationDiff from before the form to past the end': [],
        'evaluationDiff to version 0': [],
        verifyEvaluationIntegrity: null,
      });
    }
  });

  it('the form in scope: each query answers from its own read', async () => {
    for (const actor of INSIDERS) {
      const data = async (name: string) => {
        const response = await ask(actor, QUERIES[name], EVALUATION_ID);
        return response.body.data;
      };
      const history = (await data('evaluationHistory, first page')).evaluationHistory;
      expect(history.edges.map((edge: { node: { version: number } }) => edge.node.version)).toEqual([
        1, 2, 3, 4,
      ]);
      expect(
        (await data('evaluationHistory, after a cursor it gave out')).evaluationHistory.edges.map(
          (edge: { node: { version: number } }) => edge.node.version,
        ),
      ).toEqual([3, 4]);
      expect((await data('evaluationHistory, past the last version')).evaluationHistory).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, endCursor: null },
      });
      const badCursor = await ask(
        actor,
        QUERIES['evaluationHistory, after a cursor it did not give out'],
        EVALUATION_ID,
      );
      expect(codeOf(badCursor.body)).toBe('BAD_USER_INPUT');
      expect(badCursor.body.errors[0].extensions.problems).toEqual([
        expect.objectContaining({ code: 'INVALID_VALUE', path: 'after' }),
      ]);
      expect((await data('evaluationAt a version')).evaluationAt).toEqual({
        id: EVALUATION_ID,
        version: 2,
        state: 'DRAFT',
      });
      expect((await data('evaluationAt version 0')).evaluationAt).toBeNull();
      expect((await data('evaluationAt a version past the end')).evaluationAt).toMatchObject({ version: 4 });
      expect((await data('evaluationAt an instant')).evaluationAt).toMatchObject({ version: 4 });
      expect((await data('evaluationAt an instant before the form')).evaluationAt).toBeNull();
      expect((await data('evaluationDiff')).evaluationDiff).toEqual([
        { path: 'functions', before: expect.anything(), after: '职能 2' },
      ]);
      expect((await data('evaluationDiff backwards')).evaluationDiff).toEqual([
        { path: 'functions', before: '职能 2', after: expect.anything() },
      ]);
      expect(
        (await data('evaluationDiff from before the form to past the end')).evaluationDiff.length,
      ).toBeGreaterThan(1);
      expect((await data('evaluationDiff to version 0')).evaluationDiff).toEqual([]);
      expect((await data('verifyEvaluationIntegrity')).verifyEvaluationIntegrity).toEqual({
        ok: true,
        checkedEvents: 4,
        firstBrokenVersion: null,
      });
    }
  });

  it('reads the form’s stream at most once per query: no fold for the scope, one pass for a diff', async () => {
    const reads: Record<string, number> = {};
    for (const [name, query] of Object.entries(QUERIES))
      reads[name] = await readsOfTheForm(() => ask(actors.auditor, query, EVALUATION_ID));
    expect(reads).toEqual({
      // the read model's rows show the form exists
      'evaluationHistory, first page': 0,
      'evaluationHistory, after a cursor it gave out': 0,
      // no rows: one event read to tell a missing form
      'evaluationHistory, past the last version': 1,
      // a bad cursor: the same, but an answer with an error is executed again by graphql-js after the
      // compiled query (apps/api/src/graphql/compiled-queries.ts), so once per execution
      'evaluationHistory, after a cursor it did not give out': 2,
      'evaluationAt a version': 1,
      // the state before the first event needs no read
      'evaluationAt version 0': 0,
      'evaluationAt a version past the end': 1,
      'evaluationAt an instant': 1,
      'evaluationAt an instant before the form': 1,
      evaluationDiff: 1,
      'evaluationDiff backwards': 1,
      'evaluationDiff from before the form to past the end': 1,
      'evaluationDiff to version 0': 1,
      verifyEvaluationIntegrity: 1,
    });
  });
});

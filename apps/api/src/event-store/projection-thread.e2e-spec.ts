import request from 'supertest';
import { ProjectionThread } from '@app/event-store';
import { PROJECTIONS } from './event-store.module';
import { actors, seedExample } from '../testing/graphql-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';

/**
 * The API with PROJECTIONS_THREAD=true: the read models written on their own thread, and everything a
 * caller reads after a command still showing it (the other suites run them on the event loop).
 */
describe('the API with its read models on a thread of their own', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({ projectionsOnThread: true })));
  afterAll(() => api.close());

  it('a command’s write shows at once in the list and in the history, both read models of the thread', async () => {
    const form = await seedExample(api);
    const edited = await api.gql(
      `mutation($id: ID!) { updateIndicator(id: $id, expectedVersion: 1, rowId: "r1", input: { actual: "7" }) { version } }`,
      { id: form.id },
      actors.clerk,
    );
    expect(edited.body.data.updateIndicator.version).toBe(2);
    const read = await api.gql(
      `query($id: ID!) {
        evaluations { edges { node { id version indicators { id actual } } } }
        evaluationHistory(id: $id) { edges { node { version } } }
      }`,
      { id: form.id },
      actors.supervisor,
    );
    expect(read.body.errors).toBeUndefined();
    const [listed] = read.body.data.evaluations.edges.map((e: { node: unknown }) => e.node);
    expect(listed).toMatchObject({ id: form.id, version: 2 });
    expect(listed.indicators[0]).toEqual({ id: 'r1', actual: '7' });
    expect(
      read.body.data.evaluationHistory.edges.map((e: { node: { version: number } }) => e.node.version),
    ).toContain(2);
  });

  it('health reports the thread’s projections, running and caught up', async () => {
    expect(api.app.get(PROJECTIONS)).toBeInstanceOf(ProjectionThread);
    const health = await request(api.app.getHttpServer())
      .get('/health')
      .set('authorization', `Bearer ${api.token(actors.admin)}`)
      .expect(200);
    expect(health.body.details.projections.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'evaluation-summaries', status: 'RUNNING', lagEvents: 0 }),
        expect.objectContaining({ name: 'audit-history', status: 'RUNNING', lagEvents: 0 }),
      ]),
    );
  });
});

import request from 'supertest';
import { type ProjectionHost, SqliteEventStore, type EventStore } from '@app/event-store';
import { newEvent } from '@app/event-store/testing/new-events';
import type { Actor } from '@app/domain';
import { evaluationStreamId } from '@app/application';
import { signToken } from '../auth/tokens';
import { EVENT_STORE, PROJECTIONS } from '../event-store/event-store.module';
import { startTestApp, type TestApp } from '../testing/test-app';

const admin: Actor = { id: 'ops-1', role: 'ADMIN' };
const others: Record<string, Actor> = {
  'a district ADMIN': { id: 'adm-w', role: 'ADMIN', district: 'wangcheng' },
  'a SUPERVISOR': { id: 'sup-1', role: 'SUPERVISOR', district: 'wangcheng' },
  'a DEPARTMENT': { id: 'clerk-1', role: 'DEPARTMENT', department: 'wangcheng-shzlfwzx' },
};

describe('GET /health over HTTP (terminus)', () => {
  let api: TestApp;
  beforeEach(async () => (api = await startTestApp()));
  afterEach(() => api.close());

  const health = (actor?: Actor) => {
    const call = request(api.app.getHttpServer()).get('/health');
    return actor ? call.set('authorization', `Bearer ${api.token(actor)}`) : call;
  };

  it('answers ok with the embedded store and running projections; the details are for an ADMIN', async () => {
    const response = await health(admin).expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      error: {},
      details: {
        eventStore: { status: 'up', kind: 'sqlite' },
        projections: {
          status: 'up',
          items: expect.arrayContaining([
            expect.objectContaining({ name: 'evaluation-summaries', status: 'RUNNING', lagEvents: 0 }),
            expect.objectContaining({ name: 'audit-history', status: 'RUNNING' }),
          ]),
        },
      },
    });
  });

  it('anyone else gets the status alone: no token, a forged or expired one, another role, a district ADMIN', async () => {
    expect((await health().expect(200)).body).toEqual({ status: 'ok' });
    for (const [who, actor] of Object.entries(others))
      expect([who, (await health(actor).expect(200)).body]).toEqual([who, { status: 'ok' }]);
    const forged = signToken(admin, 'not-the-server-secret-at-all');
    const expired = signToken(admin, api.config.tokens, -10);
    for (const token of [forged, expired, 'garbage'])
      expect(
        (
          await request(api.app.getHttpServer())
            .get('/health')
            .set('authorization', `Bearer ${token}`)
            .expect(200)
        ).body,
      ).toEqual({ status: 'ok' });
  });

  it('is degraded (still 200) with a projection stopped at an event it cannot apply, naming it to an ADMIN', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE) as SqliteEventStore;
    const bad = { ...newEvent('EvaluationCreated', { nonsense: true }), schemaVersion: 7 };
    const { position } = await store.appendToStream(evaluationStreamId('x.2021'), [bad], {
      expectedRevision: 'no_stream',
    });
    await api.app
      .get<ProjectionHost>(PROJECTIONS)
      .waitFor(position, { streamId: evaluationStreamId('x.2021'), timeoutMs: 2000 });
    const response = await health(admin).expect(200);
    expect(response.body.status).toBe('degraded');
    expect(response.body.error.projections.items).toContainEqual(
      expect.objectContaining({
        name: 'audit-history',
        status: 'STOPPED',
        failedEventId: bad.eventId,
        error: expect.stringContaining('schema version 7'),
        behind: true,
        lagEvents: 1,
      }),
    );
    expect(response.body.details.eventStore.status).toBe('up');
    // the event id and the error stay with the administrators
    const anonymous = await health().expect(200);
    expect(anonymous.body).toEqual({ status: 'degraded' });
    expect(anonymous.text).not.toContain(bad.eventId);
  });

  it('is 503 when the event store does not answer; /health/live still answers ok', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE) as SqliteEventStore;
    await store.close();
    const response = await health(admin).expect(503);
    expect(response.body).toMatchObject({
      status: 'error',
      error: { eventStore: { status: 'down', kind: 'sqlite', error: expect.any(String) } },
    });
    expect((await health().expect(503)).body).toEqual({ status: 'error' });
    const live = await request(api.app.getHttpServer()).get('/health/live').expect(200);
    expect(live.body).toEqual({ status: 'ok' });
  });
});

describe('/health/live and /health are outside the rate limiter', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({ rateLimitPerMinute: 2 })));
  afterAll(() => api.close());

  it('probes keep answering from an address whose window is used up', async () => {
    const server = api.app.getHttpServer();
    const graphql = () =>
      request(server)
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: '{ __typename }' });
    await graphql().expect(200);
    await graphql().expect(200);
    await graphql().expect(429);
    for (let i = 0; i < 10; i++) {
      expect((await request(server).get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
      expect((await request(server).get('/health').expect(200)).body).toEqual({ status: 'ok' });
    }
    // and they did not use up anything: the window is still closed for other paths
    await graphql().expect(429);
  });

  it('/health/live checks nothing and tells nothing, with or without a token', async () => {
    const server = api.app.getHttpServer();
    const live = await request(server).get('/health/live').expect(200);
    expect(live.body).toEqual({ status: 'ok' });
    const asAdmin = await request(server)
      .get('/health/live')
      .set('authorization', `Bearer ${api.token(admin)}`)
      .expect(200);
    expect(asAdmin.body).toEqual({ status: 'ok' });
  });
});

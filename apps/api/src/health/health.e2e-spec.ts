import request from 'supertest';
import { ProjectionRunner, SqliteEventStore, type EventStore } from '@app/event-store';
import { newEvent } from '@app/event-store/testing/new-events';
import { evaluationStreamId } from '@app/evaluations';
import { EVENT_STORE } from '../event-store/event-store.module';
import { startTestApp, type TestApp } from '../testing/test-app';

describe('GET /health over HTTP (terminus)', () => {
  let api: TestApp;
  beforeEach(async () => (api = await startTestApp()));
  afterEach(() => api.close());

  it('answers ok with the embedded store and running projections', async () => {
    const response = await request(api.app.getHttpServer()).get('/health').expect(200);
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

  it('is degraded (still 200) with a projection stopped at an event it cannot apply, naming it', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE) as SqliteEventStore;
    const bad = { ...newEvent('EvaluationCreated', { nonsense: true }), schemaVersion: 7 };
    const { position } = await store.appendToStream(evaluationStreamId('x.2021'), [bad], {
      expectedRevision: 'no_stream',
    });
    await api.app
      .get(ProjectionRunner)
      .waitFor(position, { streamId: evaluationStreamId('x.2021'), timeoutMs: 2000 });
    const response = await request(api.app.getHttpServer()).get('/health').expect(200);
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
  });

  it('is 503 when the event store does not answer', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE) as SqliteEventStore;
    await store.close();
    const response = await request(api.app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toMatchObject({
      status: 'error',
      error: { eventStore: { status: 'down', kind: 'sqlite', error: expect.any(String) } },
    });
  });
});

import request from 'supertest';
import { ProjectionRunner, SqliteEventStore, type EventStore } from '@app/event-store';
import { newEvent } from '@app/event-store/testing/new-events';
import { evaluationStreamId } from '@app/evaluations';
import { EVENT_STORE } from '../event-store/event-store.module';
import { startTestApp, type TestApp } from '../testing/test-app';

describe('GET /health over HTTP', () => {
  let api: TestApp;
  beforeEach(async () => (api = await startTestApp()));
  afterEach(() => api.close());

  it('answers ok with the embedded store and running projections', async () => {
    const response = await request(api.app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      eventStore: { status: 'up', kind: 'sqlite' },
      projections: expect.arrayContaining([
        expect.objectContaining({ name: 'evaluation-summaries', status: 'RUNNING' }),
        expect.objectContaining({ name: 'audit-history', status: 'RUNNING' }),
      ]),
    });
  });

  it('shows a projection stopped at an event it cannot apply, with the event id and the error', async () => {
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
    expect(response.body.projections).toContainEqual(
      expect.objectContaining({
        name: 'audit-history',
        status: 'STOPPED',
        failedEventId: bad.eventId,
        error: expect.stringContaining('schema version 7'),
      }),
    );
  });
});

import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ProjectionRunner, SqliteEventStore, type EventStore } from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { newEvent } from '@app/event-store/testing/new-events';
import { evaluationStreamId } from '@app/evaluations';
import { AppModule } from '../app.module';
import { EVENT_STORE } from '../event-store/event-store.module';

describe('GET /health over HTTP', () => {
  let data: ReturnType<typeof tempDataDir>;
  let app: INestApplication;

  beforeEach(async () => {
    data = tempDataDir();
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppModule.forRoot({
          port: 0,
          dataDir: data.dir,
          eventStoreUrl: undefined,
          readYourWritesTimeoutMs: 2000,
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterEach(async () => {
    await app.close();
    data.remove();
  });

  it('answers ok with the embedded store and running projections', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      eventStore: { status: 'up', kind: 'sqlite' },
      projections: [
        { name: 'evaluation-summaries', status: 'RUNNING' },
        { name: 'audit-history', status: 'RUNNING' },
      ],
    });
    expect(path.isAbsolute(data.dir)).toBe(true);
  });

  it('shows a projection stopped at an event it cannot apply, with the event id and the error', async () => {
    const store = app.get<EventStore>(EVENT_STORE) as SqliteEventStore;
    const bad = { ...newEvent('EvaluationCreated', { nonsense: true }), schemaVersion: 7 };
    const { position } = await store.appendToStream(evaluationStreamId('x.2021'), [bad], {
      expectedRevision: 'no_stream',
    });
    await app.get(ProjectionRunner).waitFor(position, { timeoutMs: 2000 });
    const response = await request(app.getHttpServer()).get('/health').expect(200);
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

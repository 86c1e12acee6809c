import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import {
  freePort,
  startRedisServer as startRedis,
  stopProcess as stop,
} from '@app/jobs/testing/redis-server';
import { startTestApp, type TestApp } from '../testing/test-app';
import { actors } from '../testing/graphql-fixtures';
import { eventually } from '../../../../test/support/eventually';

describe('Redis going away never takes the API down', () => {
  let api: TestApp;
  let redis: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    api = await startTestApp({ redisUrl: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await api.close();
    await stop(redis);
  });

  // the details (which indicator is down) are for an ADMIN
  const health = () =>
    request(api.app.getHttpServer())
      .get('/health')
      .set('authorization', `Bearer ${api.token(actors.admin)}`);

  it('health is ok, then degraded while Redis is down (GraphQL keeps serving), then ok again on its own', async () => {
    const up = await eventually(health, (r) => r.body.details?.redis?.status === 'up');
    expect(up.body).toMatchObject({ status: 'ok', details: { redis: { status: 'up' } } });

    await stop(redis);
    const down = await eventually(health, (r) => r.body.details?.redis?.status === 'down');
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ status: 'degraded', error: { redis: { status: 'down' } } });

    const started = Date.now();
    const served = await api.gql('{ evaluations { totalCount } }', {}, actors.supervisor);
    expect(served.status).toBe(200);
    expect(served.body.data.evaluations.totalCount).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);

    redis = await startRedis(port);
    const back = await eventually(health, (r) => r.body.details?.redis?.status === 'up');
    expect(back.body).toMatchObject({ status: 'ok', details: { redis: { status: 'up' } } });
  }, 30_000);
});

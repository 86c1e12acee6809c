import { Queue, Worker } from 'bullmq';
import request from 'supertest';
import { DELIVERIES_QUEUE, redisConnection } from '@app/jobs';
import { removeQueueKeys, requireRedis } from '@app/jobs/testing/require-redis';
import { freePort } from '@app/jobs/testing/redis-server';
import { startTestApp, type TestApp } from '../testing/test-app';
import { actors } from '../testing/graphql-fixtures';

const codeOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) =>
  body.errors?.[0]?.extensions?.code;

describe('Bull Board at /admin/queues (ADMIN only, real Redis)', () => {
  let api: TestApp;
  let deliveries: Queue;

  beforeAll(async () => {
    api = await startTestApp();
    await requireRedis(api.config.redisUrl);
    deliveries = new Queue(DELIVERIES_QUEUE, {
      connection: redisConnection(api.config.redisUrl),
      prefix: api.config.queuePrefix,
    });
  });
  afterAll(async () => {
    await deliveries.close();
    await api.close();
    await removeQueueKeys(api.config.redisUrl, api.config.queuePrefix);
  });

  it('refuses anyone but an ADMIN, by header, cookie or sign-in link', async () => {
    const server = api.app.getHttpServer();
    const anonymous = await request(server).get('/admin/queues').expect(401);
    expect(codeOf(anonymous.body)).toBe('UNAUTHENTICATED');
    await request(server).get('/admin/queues/api/queues').set('authorization', 'Bearer forged').expect(401);
    for (const actor of [actors.clerk, actors.supervisor, actors.auditor]) {
      const byHeader = await request(server)
        .get('/admin/queues/api/queues')
        .set('authorization', `Bearer ${api.token(actor)}`)
        .expect(403);
      expect(codeOf(byHeader.body)).toBe('FORBIDDEN');
      await request(server)
        .get(`/admin/queues?token=${api.token(actor)}`)
        .expect(403);
      await request(server)
        .get('/admin/queues/api/queues')
        .set('cookie', `perf_eval_admin=${api.token(actor)}`)
        .expect(403);
    }
  });

  it("the console's session lets an admin in, and nobody else", async () => {
    const server = api.app.getHttpServer();
    const session = async (actor: (typeof actors)[keyof typeof actors]) => {
      const signIn = await request(server)
        .post('/auth/session')
        .set('content-type', 'application/json')
        .send({ token: api.token(actor) })
        .expect(200);
      return String(signIn.headers['set-cookie']).split(';')[0];
    };
    await request(server)
      .get('/admin/queues/api/queues')
      .set('cookie', await session(actors.admin))
      .expect(200);
    await request(server)
      .get('/admin/queues/api/queues')
      .set('cookie', await session(actors.supervisor))
      .expect(403);
    // The session's origin rule holds here too: another site's page cannot use it.
    await request(server)
      .get('/admin/queues/api/queues')
      .set('cookie', await session(actors.admin))
      .set('origin', 'https://elsewhere.example')
      .expect(401);
  });

  it('an admin’s sign-in link sets a strict HttpOnly cookie, drops the token from the address, opens the board', async () => {
    const server = api.app.getHttpServer();
    const signIn = await request(server)
      .get(`/admin/queues?token=${api.token(actors.admin)}`)
      .expect(303);
    expect(signIn.headers.location).toBe('/admin/queues/');
    const cookie = String(signIn.headers['set-cookie']);
    expect(cookie).toMatch(/^perf_eval_admin=[^;]+; HttpOnly; SameSite=Strict; Path=\/admin\/queues/);
    const page = await request(server).get('/admin/queues/').set('cookie', cookie.split(';')[0]).expect(200);
    expect(page.text).toContain('<div id="root">');
    expect(page.text).toContain('绩效自评 · 后台任务');
    // Its scripts are served locally, behind the same cookie.
    const scripts = [...page.text.matchAll(/src="(static\/js\/[^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const asset = await request(server).get(`/admin/queues/${script}`).set('cookie', cookie.split(';')[0]);
      expect([asset.status, asset.headers['content-type']]).toEqual([
        200,
        expect.stringContaining('javascript'),
      ]);
    }
    await request(server).get(`/admin/queues/${scripts[0]}`).expect(401);
    // Nothing is fetched from outside the service: on a government network Google Fonts is blocked or
    // slow, and a stylesheet in <head> holds up the whole page until it gives up.
    const external = [...page.text.matchAll(/(?:href|src)="((?:https?:)?\/\/[^"]+)"/g)].map((m) => m[1]);
    expect(external).toEqual([]);
  });

  it('lists the worker’s queues, shows a failed delivery with its reason, and retries it', async () => {
    const server = api.app.getHttpServer();
    const admin = { authorization: `Bearer ${api.token(actors.admin)}` };
    await deliveries.add('notice', { departmentCode: 'd1' }, { jobId: 'notice-d1', attempts: 1 });
    const failing = new Worker(
      DELIVERIES_QUEUE,
      async () => {
        throw new Error('webhook answered 503');
      },
      { connection: redisConnection(api.config.redisUrl), prefix: api.config.queuePrefix },
    );
    await new Promise<void>((resolve) => failing.once('failed', () => resolve()));
    await failing.close();

    const listed = await request(server)
      .get('/admin/queues/api/queues')
      .query({ activeQueue: DELIVERIES_QUEUE, status: 'failed', page: 1 })
      .set(admin)
      .expect(200);
    const names = listed.body.queues.map((q: { name: string }) => q.name).sort();
    expect(names).toEqual(['deliveries', 'milestones', 'reports']);
    const queue = listed.body.queues.find((q: { name: string }) => q.name === DELIVERIES_QUEUE);
    expect(queue.counts.failed).toBe(1);
    expect(queue.jobs).toEqual([
      expect.objectContaining({ id: 'notice-d1', failedReason: 'webhook answered 503' }),
    ]);

    await request(server)
      .put(`/admin/queues/api/queues/${DELIVERIES_QUEUE}/notice-d1/retry`)
      .set(admin)
      .expect(204);
    expect(await (await deliveries.getJob('notice-d1'))!.getState()).toBe('waiting');
  });
});

describe('Bull Board while Redis is away', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startTestApp({ redisUrl: `redis://127.0.0.1:${await freePort()}` })));
  afterAll(() => api.close());

  it('still serves the page; its data calls answer 503 UNAVAILABLE at once instead of hanging', async () => {
    const admin = { authorization: `Bearer ${api.token(actors.admin)}` };
    await request(api.app.getHttpServer()).get('/admin/queues/').set(admin).expect(200);
    const started = Date.now();
    const data = await request(api.app.getHttpServer())
      .get('/admin/queues/api/queues')
      .set(admin)
      .expect(503);
    expect(codeOf(data.body)).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

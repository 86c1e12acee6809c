import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import request from 'supertest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { actors } from '../testing/graphql-fixtures';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function redisServerPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server']).toString().trim();
  } catch {
    throw new Error(
      'redis-server is not installed: this test starts and stops its own Redis (apt-get install redis-server)',
    );
  }
}

/** A Redis of this test's own, on its own port, so stopping it touches nothing else. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    redisServerPath(),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function eventually<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

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

  const health = () => request(api.app.getHttpServer()).get('/health');

  it('health is ok, then degraded while Redis is down (GraphQL keeps serving), then ok again on its own', async () => {
    const up = await eventually(health, (r) => r.body.redis?.status === 'up');
    expect(up.body).toMatchObject({ status: 'ok', redis: { status: 'up' } });

    await stop(redis);
    const down = await eventually(health, (r) => r.body.redis?.status === 'down');
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ status: 'degraded', redis: { status: 'down' } });

    const started = Date.now();
    const served = await api.gql('{ evaluations { totalCount } }', {}, actors.supervisor);
    expect(served.status).toBe(200);
    expect(served.body.data.evaluations.totalCount).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);

    redis = await startRedis(port);
    const back = await eventually(health, (r) => r.body.redis?.status === 'up');
    expect(back.body).toMatchObject({ status: 'ok', redis: { status: 'up' } });
  }, 30_000);
});

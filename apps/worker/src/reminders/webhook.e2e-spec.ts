import * as http from 'node:http';
import { Queue } from 'bullmq';
import { DELIVERIES_QUEUE, redisConnection } from '@app/jobs';
import { REDIS_URL, ReminderWorld, until, verifyWebhookSignature } from '../testing/reminder-harness';
import { DELIVERY_HEADER, DeliveryFailed, SIGNATURE_HEADER, deliver } from './webhook';

const SECRET = 'webhook-secret-for-tests';
const REPLAY_WINDOW_SECONDS = 300;

interface Received {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  accepted: boolean;
}

/**
 * A receiver as the README tells one to be written: it verifies the signature over "<t>.<raw body>"
 * with a 5-minute replay window, on its own clock (moved forward to replay a capture "later").
 */
async function startVerifyingReceiver() {
  const state = { received: [] as Received[], clockOffsetSeconds: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const accepted = verifyWebhookSignature(raw, req.headers[SIGNATURE_HEADER], SECRET, {
        toleranceSeconds: REPLAY_WINDOW_SECONDS,
        nowSeconds: Date.now() / 1000 + state.clockOffsetSeconds,
      });
      state.received.push({ headers: req.headers, raw, accepted });
      res.writeHead(accepted ? 204 : 401).end();
    });
  });
  return Object.assign(state, await listen(server));
}

/** Answers every request with `status` and a Location pointing at `target`; counts what it gets. */
async function startRedirector(status: number, target: string) {
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests += 1;
    req.resume();
    res.writeHead(status, { location: target }).end();
  });
  return Object.assign(state, await listen(server));
}

async function startCounter() {
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    state.requests += 1;
    req.resume();
    res.writeHead(204).end();
  });
  return Object.assign(state, await listen(server));
}

async function listen(server: http.Server) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends a captured delivery again, as an attacker who recorded it would (same bytes, chosen headers). */
async function resend(url: string, raw: Buffer | string, headers: http.IncomingHttpHeaders): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: String(headers[SIGNATURE_HEADER]),
      [DELIVERY_HEADER]: String(headers[DELIVERY_HEADER]),
    },
    body: raw,
  });
  await response.body?.cancel();
  return response.status;
}

const payload = {
  deliveryId: 'delivery-1',
  type: 'REMINDER',
  milestone: 'before:3d',
  cycle: {
    id: 'wangcheng.2021',
    districtCode: 'wangcheng',
    year: 2021,
    deadline: '2022-03-31T16:00:00.000Z',
  },
  department: { code: 'wangcheng-shzlfwzx', name: '长沙市望城区社会治理服务中心' },
  dueAt: '2022-03-28T16:00:00.000Z',
};

describe('webhook signatures with a timestamp (real HTTP receiver)', () => {
  let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;
  beforeEach(async () => (receiver = await startVerifyingReceiver()));
  afterEach(() => receiver.close());

  it('a fresh delivery is signed as t=<unix seconds>,v1=<hex> over "<t>.<body>" and accepted', async () => {
    const before = Math.floor(Date.now() / 1000);
    await deliver(receiver.url, SECRET, 'delivery-1', payload, 2000);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery.accepted).toBe(true);
    const header = String(delivery.headers[SIGNATURE_HEADER]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const t = Number(/^t=(\d+)/.exec(header)![1]);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(delivery.headers[DELIVERY_HEADER]).toBe('delivery-1');
    expect(JSON.parse(delivery.raw.toString('utf8'))).toEqual(payload);
  });

  it('a captured delivery replayed after the window, re-dated, or with a tampered body is refused', async () => {
    await deliver(receiver.url, SECRET, 'delivery-1', payload, 2000);
    const [captured] = receiver.received;
    expect(captured.accepted).toBe(true);

    // the same bytes six minutes later
    receiver.clockOffsetSeconds = REPLAY_WINDOW_SECONDS + 60;
    expect(await resend(receiver.url, captured.raw, captured.headers)).toBe(401);

    // the same signature with the timestamp moved to "now": the HMAC covers the time, so it no longer fits
    const header = String(captured.headers[SIGNATURE_HEADER]);
    const now = Math.floor(Date.now() / 1000) + receiver.clockOffsetSeconds;
    const redated = header.replace(/^t=\d+/, `t=${now}`);
    expect(
      await resend(receiver.url, captured.raw, { ...captured.headers, [SIGNATURE_HEADER]: redated }),
    ).toBe(401);

    // within the window, but the body changed
    receiver.clockOffsetSeconds = 0;
    const tampered = captured.raw.toString('utf8').replace('before:3d', 'overdue');
    expect(tampered).not.toBe(captured.raw.toString('utf8'));
    expect(await resend(receiver.url, tampered, captured.headers)).toBe(401);

    // the untouched capture within the window verifies (receivers drop it by its repeated delivery id)
    expect(await resend(receiver.url, captured.raw, captured.headers)).toBe(204);
    expect(receiver.received.map((r) => r.accepted)).toEqual([true, false, false, false, true]);
  });

  it('a delivery signed with another secret is refused, and the attempt fails', async () => {
    await expect(deliver(receiver.url, 'another-secret-of-16+ bytes', 'd-2', payload, 2000)).rejects.toThrow(
      new DeliveryFailed('webhook answered 401'),
    );
    expect(receiver.received.map((r) => r.accepted)).toEqual([false]);
  });
});

describe('webhook redirects are not followed', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i answer fails the delivery; its target never hears of it',
    async (status) => {
      const target = await startCounter();
      const redirector = await startRedirector(status, target.url);
      try {
        const attempt = deliver(redirector.url, SECRET, 'd-3', payload, 2000);
        await expect(attempt).rejects.toThrow(DeliveryFailed);
        await expect(attempt).rejects.toThrow(
          `webhook answered ${status} redirecting to ${target.url}; redirects are not followed`,
        );
        expect(redirector.requests).toBe(1);
        expect(target.requests).toBe(0);
      } finally {
        await redirector.close();
        await target.close();
      }
    },
  );

  it('through the worker: the delivery job fails with the redirect as its reason, kept for inspection (real Redis)', async () => {
    const world = new ReminderWorld();
    const target = await startCounter();
    const redirector = await startRedirector(302, target.url);
    const queue = new Queue(DELIVERIES_QUEUE, {
      connection: redisConnection(REDIS_URL),
      prefix: world.queuePrefix,
    });
    try {
      await world.start();
      await world.district('r1', ['z']);
      await world.startWorker(
        world.workerConfig({
          webhookUrl: redirector.url,
          webhookSecret: SECRET,
          deliveryAttempts: 2,
          retryBaseMs: 50,
          reminders: { offsets: '1s', overdueAfter: '1h' },
        }),
      );
      await world.openCycle('r1', new Date(Date.now() + 1500));
      expect(await until(async () => (await queue.getFailedCount()) >= 1, 15_000)).toBe(true);
      const [failed] = await queue.getFailed();
      expect(failed.attemptsMade).toBe(2);
      expect(failed.failedReason).toBe(
        `webhook answered 302 redirecting to ${target.url}; redirects are not followed, set NOTIFY_WEBHOOK_URL to the final address`,
      );
      expect(redirector.requests).toBe(2);
      expect(target.requests).toBe(0);
      // recorded for the department to read, never marked delivered
      const notices = await world.store.readStream('notifications-z', { maxCount: 10 });
      expect(notices.map((e) => e.type)).toEqual(['ReminderRecorded']);
    } finally {
      await queue.close();
      await world.close();
      await redirector.close();
      await target.close();
    }
  }, 30_000);
});

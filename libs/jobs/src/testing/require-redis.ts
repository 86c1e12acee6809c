import * as net from 'node:net';
import Redis from 'ioredis';

/**
 * Tests that need Redis call this first: without Redis they fail at once with a clear message instead
 * of waiting on a queue client that reconnects forever.
 */
export async function requireRedis(url: string, timeoutMs = 2000): Promise<void> {
  const { hostname, port } = new URL(url);
  const answered = await new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(port || 6379), hostname);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
  if (!answered) {
    throw new Error(
      `Redis is not answering at ${url}: these tests need a real Redis (start redis-server, or run bash .ci/run, which starts one)`,
    );
  }
}

/** Removes every key under a test's own queue prefix (tests and benchmarks clean up after themselves). */
export async function removeQueueKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

import Redis from 'ioredis';

/**
 * BullMQ loses jobs if Redis evicts keys under memory pressure; anything but `noeviction` earns a warning
 * at start. Returns the warning, or null when the policy is right (or cannot be read).
 */
export async function evictionPolicyWarning(redisUrl: string): Promise<string | null> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    return policy === 'noeviction'
      ? null
      : `Redis maxmemory-policy is "${policy}": set it to "noeviction", or queued jobs may be evicted under memory pressure`;
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}

import { freePort, startRedisServer } from '@app/jobs/testing/redis-server';
import { evictionPolicyWarning } from './redis-policy';

describe('Redis eviction policy check at worker start', () => {
  it('warns when Redis may evict keys, and not when it may not', async () => {
    const lruPort = await freePort();
    const lru = await startRedisServer(lruPort, ['--maxmemory-policy', 'allkeys-lru']);
    const safePort = await freePort();
    const safe = await startRedisServer(safePort, ['--maxmemory-policy', 'noeviction']);
    try {
      expect(await evictionPolicyWarning(`redis://127.0.0.1:${lruPort}`)).toMatch(
        /"allkeys-lru".*noeviction/,
      );
      expect(await evictionPolicyWarning(`redis://127.0.0.1:${safePort}`)).toBeNull();
    } finally {
      lru.kill('SIGKILL');
      safe.kill('SIGKILL');
    }
  });
});

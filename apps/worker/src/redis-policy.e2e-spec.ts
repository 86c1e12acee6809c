import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { evictionPolicyWarning } from './redis-policy';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number, policy: string): Promise<ChildProcess> {
  const binary = execFileSync('sh', ['-c', 'command -v redis-server || true']).toString().trim();
  if (!binary)
    throw new Error('redis-server is not installed: this test starts its own (apt-get install redis-server)');
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      policy,
    ],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 50; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('redis-server did not start');
}

describe('Redis eviction policy check at worker start', () => {
  it('warns when Redis may evict keys, and not when it may not', async () => {
    const lruPort = await freePort();
    const lru = await startRedis(lruPort, 'allkeys-lru');
    const safePort = await freePort();
    const safe = await startRedis(safePort, 'noeviction');
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

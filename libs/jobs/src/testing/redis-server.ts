import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

/** A TCP port nothing listens on right now, for a server a test starts itself. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * A redis-server of the test's own on its own port (so stopping it touches nothing else), keeping
 * nothing on disk. Fails at once with a clear message when redis-server is not installed.
 */
export async function startRedisServer(port: number, extraArgs: string[] = []): Promise<ChildProcess> {
  const binary = execFileSync('sh', ['-c', 'command -v redis-server || true']).toString().trim();
  if (!binary)
    throw new Error('redis-server is not installed: this test starts its own (apt-get install redis-server)');
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
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
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

/** SIGKILL, and wait until the process is gone. */
export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

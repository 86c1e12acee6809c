import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { freePort } from '@app/jobs/testing/redis-server';
import { kill, startScript, waitForOutput } from './child-process';

describe('graceful shutdown', () => {
  it('on SIGTERM the API stops taking work, closes its stores and exits 0; the data opens again', async () => {
    const data = tempDataDir();
    const port = await freePort();
    const start = () =>
      startScript('apps/api/src/main.ts', [], { PORT: String(port), DATA_DIR: data.dir, LOG_LEVEL: 'warn' });
    const api = start();
    try {
      await waitForOutput(api, (line) => line.includes('perf-eval API on'), 60_000);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      const stopped = waitForOutput(api, (line) => line === 'perf-eval API stopped', 20_000).catch(
        () => null,
      );
      const exited = new Promise<number | null>((resolve) => api.once('exit', (code) => resolve(code)));
      api.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await stopped).not.toBeNull();
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();

      // Stores were closed cleanly: a new process opens the same files and answers.
      const again = start();
      try {
        await waitForOutput(again, (line) => line.includes('perf-eval API on'), 60_000);
        expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      } finally {
        await kill(again);
      }
    } finally {
      await kill(api);
      data.remove();
    }
  }, 120_000);
});

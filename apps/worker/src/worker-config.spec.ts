import { WorkerConfigError, loadWorkerConfig, stalledJobOptions } from './worker-config';

describe('worker configuration', () => {
  it('names every offending variable at once', () => {
    expect(() =>
      loadWorkerConfig({
        WORKER_LOCK_MS: '10',
        WORKER_CONCURRENCY: '0',
        REMINDER_OFFSETS: 'soon',
        LOG_LEVEL: 'loud',
      }),
    ).toThrow(WorkerConfigError);
    try {
      loadWorkerConfig({
        WORKER_LOCK_MS: '10',
        WORKER_CONCURRENCY: '0',
        REMINDER_OFFSETS: 'soon',
        LOG_LEVEL: 'loud',
      });
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['WORKER_LOCK_MS', 'WORKER_CONCURRENCY', 'REMINDER_OFFSETS', 'LOG_LEVEL'])
        expect(message).toContain(name);
    }
  });

  it('stalled jobs: a lock of WORKER_LOCK_MS, checked as often, failed after the second stall', () => {
    expect(stalledJobOptions({})).toEqual({
      lockDuration: 30_000,
      stalledInterval: 30_000,
      maxStalledCount: 2,
    });
    expect(stalledJobOptions({ WORKER_LOCK_MS: '1000' })).toMatchObject({
      lockDuration: 1000,
      stalledInterval: 1000,
    });
    expect(() => loadWorkerConfig({ WORKER_LOCK_MS: '1000' })).not.toThrow();
  });
});

import * as path from 'node:path';
import { defaultRepeatStrategy } from 'bullmq';
import { withoutSecrets } from './reminders/webhook';
import { WorkerConfigError, cronProblem, loadWorkerConfig, stalledJobOptions } from './worker-config';

/** The message of the refusal, or '' when the configuration loads. */
function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadWorkerConfig(env);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(WorkerConfigError);
    return (error as Error).message;
  }
}

describe('worker configuration', () => {
  it('starts on the documented defaults', () => {
    expect(loadWorkerConfig({})).toMatchObject({
      queuePrefix: 'perf-eval',
      webhookTimeoutMs: 5000,
      retryBaseMs: 2000,
      deliveryAttempts: 16,
      concurrency: 4,
      reportSchedule: '0 2 * * *',
      reportTimeZone: 'Asia/Shanghai',
      logLevel: 'info',
    });
    // an empty line in an env file means "unset", as in the API
    expect(loadWorkerConfig({ NOTIFY_ATTEMPTS: '', REPORT_SCHEDULE: '', REPORT_TIMEZONE: '' })).toMatchObject(
      { deliveryAttempts: 16, reportSchedule: '0 2 * * *', reportTimeZone: 'Asia/Shanghai' },
    );
  });

  it('names every offending variable at once', () => {
    const message = refusal({
      WORKER_LOCK_MS: '10',
      WORKER_CONCURRENCY: '0',
      REMINDER_OFFSETS: 'soon',
      LOG_LEVEL: 'loud',
      NOTIFY_WEBHOOK_TIMEOUT_MS: 'abc',
      NOTIFY_ATTEMPTS: '0',
      NOTIFY_RETRY_BASE_MS: 'abc',
      REPORT_SCHEDULE: 'nightly',
      REPORT_TIMEZONE: 'Mars/Olympus',
      QUEUE_PREFIX: 'perf eval',
      EVENTSTORE_URL: 'http://eventstore:2113',
    });
    for (const name of [
      'WORKER_LOCK_MS',
      'WORKER_CONCURRENCY',
      'REMINDER_OFFSETS',
      'LOG_LEVEL',
      'NOTIFY_WEBHOOK_TIMEOUT_MS',
      'NOTIFY_ATTEMPTS',
      'NOTIFY_RETRY_BASE_MS',
      'REPORT_SCHEDULE',
      'REPORT_TIMEZONE',
      'QUEUE_PREFIX',
      'EVENTSTORE_URL',
    ])
      expect(message).toContain(name);
  });

  it.each([
    [
      'NOTIFY_WEBHOOK_TIMEOUT_MS',
      ['abc', '1e3', '0x10', ' 500', '-1', '99', '120001', '2.5'],
      ['100', '120000'],
    ],
    ['NOTIFY_ATTEMPTS', ['abc', '0', '101', '1.5'], ['1', '20']],
    ['NOTIFY_RETRY_BASE_MS', ['abc', '9', '3600001', 'NaN'], ['10', '20000']],
    ['WORKER_CONCURRENCY', ['four', '0', '101'], ['1', '100']],
  ])('%s: whole numbers in range only (no NaN delays)', (name, bad, good) => {
    for (const value of bad) expect(refusal({ [name]: value })).toContain(`${name} must be a whole number`);
    for (const value of good) expect(refusal({ [name]: value })).toBe('');
  });

  it('refuses retries whose last wait would exceed a week (or overflow)', () => {
    expect(refusal({ NOTIFY_ATTEMPTS: '100' })).toMatch(/NOTIFY_RETRY_BASE_MS × 2\^\(NOTIFY_ATTEMPTS − 2\)/);
    // 2 s × 2^18 ≈ 6 days: still accepted; one more doubling is not
    expect(refusal({ NOTIFY_ATTEMPTS: '20' })).toBe('');
    expect(refusal({ NOTIFY_ATTEMPTS: '21' })).toContain('at most 7 days');
  });

  it('REPORT_SCHEDULE is a cron pattern that fires, REPORT_TIMEZONE an IANA zone', () => {
    for (const schedule of ['nightly', '61 * * * *', '0 2 * * 8', '* * * * * * *', '0 0 31 2 *'])
      expect(refusal({ REPORT_SCHEDULE: schedule })).toContain('REPORT_SCHEDULE must be a cron pattern');
    for (const schedule of ['0 2 * * *', '30 1 * * 1-5', '@daily'])
      expect(refusal({ REPORT_SCHEDULE: schedule })).toBe('');
    for (const zone of ['Mars/Olympus', 'Asia/Beijing', 'GMT+8 China'])
      expect(refusal({ REPORT_TIMEZONE: zone })).toContain('REPORT_TIMEZONE must be an IANA time zone');
    for (const zone of ['Asia/Shanghai', 'Asia/Urumqi', 'UTC'])
      expect(refusal({ REPORT_TIMEZONE: zone })).toBe('');
  });

  it('judges cron patterns exactly as the BullMQ job scheduler that runs them', () => {
    // the same parser module, not merely one of the same name
    const bullmqDir = path.dirname(require.resolve('bullmq'));
    expect(require.resolve('cron-parser')).toBe(require.resolve('cron-parser', { paths: [bullmqDir] }));
    const patterns = ['0 2 * * *', '@daily', '*/15 * * * *', '0 2 * * 8', 'nightly', '0 0 31 2 *', '1 2 3'];
    for (const pattern of patterns) {
      let scheduled: boolean;
      try {
        scheduled = typeof defaultRepeatStrategy(Date.now(), { pattern, tz: 'Asia/Shanghai' }) === 'number';
      } catch {
        scheduled = false;
      }
      expect([pattern, cronProblem(pattern, 'Asia/Shanghai') === null]).toEqual([pattern, scheduled]);
    }
  });

  it('QUEUE_PREFIX: letters, digits, - _ . and braces; no space, colon or glob character', () => {
    for (const prefix of ['', ' ', 'perf eval', 'perf:eval', 'perf*', 'a'.repeat(65), '-x'])
      expect(refusal({ QUEUE_PREFIX: prefix })).toContain('QUEUE_PREFIX');
    for (const prefix of ['perf-eval', 'perf_eval.v2', '{perf-eval}', 'test-0f1e2d3c-aaaa'])
      expect(refusal({ QUEUE_PREFIX: prefix })).toBe('');
  });

  it('the webhook: an http(s) URL and a secret of at least 16 bytes', () => {
    expect(refusal({ NOTIFY_WEBHOOK_URL: 'ftp://x' })).toContain('NOTIFY_WEBHOOK_URL');
    expect(refusal({ NOTIFY_WEBHOOK_URL: 'https://' })).toContain('NOTIFY_WEBHOOK_URL');
    expect(refusal({ NOTIFY_WEBHOOK_URL: 'https://hooks.example/x' })).toContain(
      'NOTIFY_WEBHOOK_SECRET must be set',
    );
    expect(
      refusal({ NOTIFY_WEBHOOK_URL: 'https://hooks.example/x', NOTIFY_WEBHOOK_SECRET: 'short' }),
    ).toContain('NOTIFY_WEBHOOK_SECRET must be at least 16 bytes');
    expect(
      refusal({
        NOTIFY_WEBHOOK_URL: 'https://hooks.example/x',
        NOTIFY_WEBHOOK_SECRET: 'webhook-secret-for-tests',
      }),
    ).toBe('');
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

  it('stalledJobOptions uses a WORKER_LOCK_MS exactly when the configuration accepts it', () => {
    for (const value of ['500', '600000', '499', '600001', '1e4', 'abc', '', '-1000', '30000.5']) {
      const accepted = refusal({ WORKER_LOCK_MS: value }) === '';
      const used = stalledJobOptions({ WORKER_LOCK_MS: value }).lockDuration === Number(value);
      expect([value, used]).toEqual([value, accepted && value !== '']);
    }
  });
});

describe('addresses in messages that are kept or shown', () => {
  it('show scheme, host and path only: no user, password, query or fragment', () => {
    expect(withoutSecrets('https://ops:s3cret@hooks.example.gov.cn/notify?token=abc#x')).toBe(
      'https://hooks.example.gov.cn/notify',
    );
    expect(withoutSecrets('/moved?sig=1', 'http://127.0.0.1:8080/hook')).toBe('http://127.0.0.1:8080/moved');
  });

  it('a bad NOTIFY_WEBHOOK_URL is reported without what it carries', () => {
    expect(() =>
      loadWorkerConfig({
        NOTIFY_WEBHOOK_URL: 'ftp://ops:s3cret@host/x?token=abc',
        NOTIFY_WEBHOOK_SECRET: 'x'.repeat(32),
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringMatching(/s3cret|token=abc/) }));
  });
});

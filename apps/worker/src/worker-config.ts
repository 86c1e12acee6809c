import * as path from 'node:path';
import { InvalidDuration, parseDuration, parseOffsets, type ReminderPolicy } from '@app/evaluation';

/** The worker's environment (DOMAIN.md §10), checked at start like the API's. */
export interface WorkerConfig {
  dataDir: string;
  eventStoreUrl: string | undefined;
  redisUrl: string;
  /** prefix of every BullMQ key, so tests and several installations can share one Redis */
  queuePrefix: string;
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  webhookTimeoutMs: number;
  /** first retry delay of a failed delivery; doubles each time, with jitter */
  retryBaseMs: number;
  deliveryAttempts: number;
  reminders: ReminderPolicy;
  concurrency: number;
  /** cron pattern of the nightly district reports */
  reportSchedule: string;
  reportTimeZone: string;
  /** pino level of the worker's JSON logs */
  logLevel: string;
}

export class WorkerConfigError extends Error {}

const DEFAULT_LOCK_MS = 30_000;

/**
 * Lock and stalled-job timings of every worker. A job whose worker died (killed, out of memory) keeps
 * its lock for at most WORKER_LOCK_MS; the next check, at the same interval, puts it back in the queue
 * for another worker. Twice stalled, it fails and is kept for inspection (a repeat is harmless: notices
 * are recorded under deterministic ids and reports are appended as new facts). BullMQ takes these when a
 * worker is created by the processor decorators, so they are read from the environment, once, at import;
 * loadWorkerConfig checks the same variable.
 */
export function stalledJobOptions(env: NodeJS.ProcessEnv = process.env) {
  const lockDuration = Number(env.WORKER_LOCK_MS ?? DEFAULT_LOCK_MS);
  const valid = Number.isInteger(lockDuration) && lockDuration >= 500 ? lockDuration : DEFAULT_LOCK_MS;
  return { lockDuration: valid, stalledInterval: valid, maxStalledCount: 2 };
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const problems: string[] = [];
  const reminders: ReminderPolicy = {
    offsets: env.REMINDER_OFFSETS ?? '7d,3d,1d',
    overdueAfter: env.OVERDUE_AFTER ?? '1d',
  };
  try {
    parseOffsets(reminders.offsets);
  } catch (error) {
    if (error instanceof InvalidDuration) problems.push(`REMINDER_OFFSETS: ${error.message}`);
  }
  try {
    parseDuration(reminders.overdueAfter);
  } catch (error) {
    if (error instanceof InvalidDuration) problems.push(`OVERDUE_AFTER: ${error.message}`);
  }
  const redisUrl = env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl))
    problems.push(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  const webhookUrl = env.NOTIFY_WEBHOOK_URL?.trim() || undefined;
  if (webhookUrl && !/^https?:\/\//.test(webhookUrl))
    problems.push(`NOTIFY_WEBHOOK_URL must be an http(s) URL, got "${webhookUrl}"`);
  const webhookSecret = env.NOTIFY_WEBHOOK_SECRET?.trim() || undefined;
  if (webhookUrl && !webhookSecret)
    problems.push('NOTIFY_WEBHOOK_SECRET must be set when NOTIFY_WEBHOOK_URL is');
  const concurrency = Number(env.WORKER_CONCURRENCY ?? 4);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100)
    problems.push('WORKER_CONCURRENCY must be 1 to 100');
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
  const lockMs = Number(env.WORKER_LOCK_MS ?? DEFAULT_LOCK_MS);
  if (!Number.isInteger(lockMs) || lockMs < 500 || lockMs > 600_000)
    problems.push('WORKER_LOCK_MS must be an integer from 500 to 600000');
  if (problems.length > 0)
    throw new WorkerConfigError(`invalid worker configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    eventStoreUrl: env.EVENTSTORE_URL?.trim() || undefined,
    redisUrl,
    queuePrefix: env.QUEUE_PREFIX ?? 'perf-eval',
    webhookUrl,
    webhookSecret,
    webhookTimeoutMs: Number(env.NOTIFY_WEBHOOK_TIMEOUT_MS ?? 5000),
    retryBaseMs: Number(env.NOTIFY_RETRY_BASE_MS ?? 2000),
    // 2 s doubling 16 times reaches well past an hour of outage before a delivery is given up.
    deliveryAttempts: Number(env.NOTIFY_ATTEMPTS ?? 16),
    reminders,
    concurrency,
    reportSchedule: env.REPORT_SCHEDULE ?? '0 2 * * *',
    reportTimeZone: env.REPORT_TIMEZONE ?? 'Asia/Shanghai',
    logLevel,
  };
}

export { redisConnection } from '@app/jobs';

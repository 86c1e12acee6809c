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
}

export class WorkerConfigError extends Error {}

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
  };
}

export { redisConnection } from '@app/jobs';

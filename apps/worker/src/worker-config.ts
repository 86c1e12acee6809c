import * as path from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { InvalidDuration, parseDuration, parseOffsets, type ReminderPolicy } from '@app/domain';
import { readJobSettings, wholeNumber } from '@app/jobs';
import { withoutSecrets } from './reminders/webhook';

/** The worker's environment (docs/access.md), checked at start like the API's. */
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
  /** a file the worker touches every few seconds while its event loop runs (a container's health check) */
  heartbeatFile?: string;
  /** a port serving /metrics (queues, jobs, runtime) for a scraper on the internal network; off when unset */
  metricsPort?: number;
  metricsHost?: string;
}

export class WorkerConfigError extends Error {}

const DEFAULT_LOCK_MS = 30_000;
const LOCK_MS_RANGE = [500, 600_000] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** The longest wait between two delivery attempts; beyond it a notice is news from another week. */
const MAX_RETRY_WAIT_MS = 7 * 24 * 3600_000;

/**
 * The cron pattern as BullMQ reads it: its job scheduler computes every run with cron-parser's
 * CronExpressionParser (the one copy in node_modules, which the worker config spec checks), in the
 * report time zone. A pattern that parses but never fires (31 February) is refused too.
 */
export function cronProblem(pattern: string, timeZone: string): string | null {
  try {
    CronExpressionParser.parse(pattern, { tz: timeZone }).next();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** An IANA time zone the runtime knows ("Asia/Shanghai"); Intl refuses the others with a RangeError. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Lock and stalled-job timings of every worker. A job whose worker died (killed, out of memory) keeps
 * its lock for at most WORKER_LOCK_MS; the next check, at the same interval, puts it back in the queue
 * for another worker. Twice stalled, it fails and is kept for inspection (a repeat is harmless: notices
 * are recorded under deterministic ids and reports are appended as new facts). BullMQ takes these when a
 * worker is created by the processor decorators, so they are read from the environment, once, at import;
 * loadWorkerConfig reads the same variable with the same rule and refuses to start on a bad value, so the
 * default used here for one is never what runs.
 */
export function stalledJobOptions(env: NodeJS.ProcessEnv = process.env) {
  const lockDuration = wholeNumber(env, 'WORKER_LOCK_MS', DEFAULT_LOCK_MS, LOCK_MS_RANGE, []);
  return { lockDuration, stalledInterval: lockDuration, maxStalledCount: 2 };
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
  const eventStoreUrl = env.EVENTSTORE_URL?.trim() || undefined;
  if (eventStoreUrl && !/^esdb(\+discover)?:\/\//.test(eventStoreUrl)) {
    problems.push(
      `EVENTSTORE_URL must be an esdb:// or esdb+discover:// connection string, got "${eventStoreUrl}"`,
    );
  }
  const { redisUrl, queuePrefix } = readJobSettings(env, problems);
  const webhookUrl = env.NOTIFY_WEBHOOK_URL?.trim() || undefined;
  if (webhookUrl && !(/^https?:\/\//.test(webhookUrl) && URL.canParse(webhookUrl)))
    problems.push(`NOTIFY_WEBHOOK_URL must be an http(s) URL, got "${withoutSecrets(webhookUrl)}"`);
  const webhookSecret = env.NOTIFY_WEBHOOK_SECRET?.trim() || undefined;
  if (webhookUrl && !webhookSecret)
    problems.push('NOTIFY_WEBHOOK_SECRET must be set when NOTIFY_WEBHOOK_URL is');
  // The HMAC key of every notice: a short one can be guessed offline from a single signed delivery.
  if (webhookSecret && Buffer.byteLength(webhookSecret, 'utf8') < 16)
    problems.push('NOTIFY_WEBHOOK_SECRET must be at least 16 bytes');
  const webhookTimeoutMs = wholeNumber(env, 'NOTIFY_WEBHOOK_TIMEOUT_MS', 5000, [100, 120_000], problems);
  const retryBaseMs = wholeNumber(env, 'NOTIFY_RETRY_BASE_MS', 2000, [10, 3_600_000], problems);
  // 2 s doubling 16 times reaches well past an hour of outage before a delivery is given up.
  const deliveryAttempts = wholeNumber(env, 'NOTIFY_ATTEMPTS', 16, [1, 100], problems);
  // BullMQ waits base × 2^(n−1) after the n-th failure: the wait before the last attempt must stay sane
  // (and finite: 100 attempts of 2 s would be 10^33 years).
  const longestWaitMs = retryBaseMs * 2 ** Math.max(0, deliveryAttempts - 2);
  if (longestWaitMs > MAX_RETRY_WAIT_MS)
    problems.push(
      `NOTIFY_RETRY_BASE_MS × 2^(NOTIFY_ATTEMPTS − 2), the wait before the last delivery attempt, must be at most 7 days (${retryBaseMs} ms and ${deliveryAttempts} attempts give ${Math.round(longestWaitMs / 3_600_000)} h)`,
    );
  const concurrency = wholeNumber(env, 'WORKER_CONCURRENCY', 4, [1, 100], problems);
  const metricsPort = env.METRICS_PORT?.trim()
    ? wholeNumber(env, 'METRICS_PORT', 0, [0, 65535], problems)
    : undefined;
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  wholeNumber(env, 'WORKER_LOCK_MS', DEFAULT_LOCK_MS, LOCK_MS_RANGE, problems);
  const reportTimeZone = env.REPORT_TIMEZONE?.trim() || 'Asia/Shanghai';
  const validZone = isTimeZone(reportTimeZone);
  if (!validZone)
    problems.push(`REPORT_TIMEZONE must be an IANA time zone such as Asia/Shanghai, got "${reportTimeZone}"`);
  // Empty counts as unset: cron-parser reads "" as "every minute".
  const reportSchedule = env.REPORT_SCHEDULE?.trim() || '0 2 * * *';
  const cron = cronProblem(reportSchedule, validZone ? reportTimeZone : 'UTC');
  if (cron)
    problems.push(
      `REPORT_SCHEDULE must be a cron pattern such as "0 2 * * *", got "${reportSchedule}": ${cron}`,
    );
  if (problems.length > 0)
    throw new WorkerConfigError(`invalid worker configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    eventStoreUrl,
    redisUrl,
    queuePrefix,
    webhookUrl,
    webhookSecret,
    webhookTimeoutMs,
    retryBaseMs,
    deliveryAttempts,
    reminders,
    concurrency,
    reportSchedule,
    reportTimeZone,
    logLevel,
    heartbeatFile: env.WORKER_HEARTBEAT_FILE?.trim()
      ? path.resolve(env.WORKER_HEARTBEAT_FILE.trim())
      : undefined,
    ...(metricsPort !== undefined && { metricsPort, metricsHost: env.METRICS_HOST?.trim() || '0.0.0.0' }),
  };
}

export { redisConnection } from '@app/jobs';

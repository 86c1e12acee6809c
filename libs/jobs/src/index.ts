/**
 * What the API and the worker share about background jobs: queue names, job payloads and options, and
 * the Redis connection settings BullMQ needs. No BullMQ objects here, only data.
 */
export const MILESTONES_QUEUE = 'milestones';
export const DELIVERIES_QUEUE = 'deliveries';
export const REPORTS_QUEUE = 'reports';

const QUEUE_PREFIX_PATTERN = /^[A-Za-z0-9{}][A-Za-z0-9_.{}-]{0,63}$/;

/**
 * QUEUE_PREFIX as the API and the worker both read it (they must agree: the board and report requests
 * use the worker's keys). BullMQ keys are `<prefix>:<queue>:…`, and tests and tools find them with
 * SCAN MATCH `<prefix>:*`: no colon, space or glob character; braces are allowed for a Redis Cluster
 * hash tag. Returns the prefix and, if it is not usable, the problem to report.
 */
export function readQueuePrefix(env: NodeJS.ProcessEnv): { queuePrefix: string; problem?: string } {
  const queuePrefix = env.QUEUE_PREFIX ?? 'perf-eval';
  if (QUEUE_PREFIX_PATTERN.test(queuePrefix)) return { queuePrefix };
  return {
    queuePrefix,
    problem: `QUEUE_PREFIX must be 1 to 64 letters, digits, "-", "_", "." or braces (no space or colon), got "${queuePrefix}"`,
  };
}

export interface DistrictReportJob {
  districtCode: string;
  year: number;
}

/** On demand or nightly, at most one pending report per district and year. */
export function reportJobOptions(districtCode: string, year: number) {
  return {
    deduplication: { id: `district-report:${districtCode}:${year}` },
    attempts: 3,
    backoff: { type: 'exponential' as const, delay: 1000 },
    removeOnComplete: { age: 30 * 24 * 3600 },
    removeOnFail: false,
  };
}

/** ioredis options for BullMQ from a redis:// URL (BullMQ's workers need maxRetriesPerRequest: null). */
export function redisConnection(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    username: parsed.username || undefined,
    password: parsed.password || undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

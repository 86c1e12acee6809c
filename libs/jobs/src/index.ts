/**
 * What the API and the worker share about background jobs: queue names, job payloads and options, and
 * the Redis connection settings BullMQ needs. No BullMQ objects here, only data.
 */
export const MILESTONES_QUEUE = 'milestones';
export const DELIVERIES_QUEUE = 'deliveries';
export const REPORTS_QUEUE = 'reports';

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

export * from './settings';
export * from './metrics-endpoint';
export * from './runtime-metrics';

import * as path from 'node:path';

/** DOMAIN.md §10's environment, read once at start; a bad value stops the start with a clear message. */
export interface AppConfig {
  port: number;
  dataDir: string;
  eventStoreUrl: string | undefined;
  redisUrl: string;
  /** prefix of the BullMQ keys, the same as the worker's */
  queuePrefix: string;
  jwtSecret: string;
  production: boolean;
  /** requests per minute per user or address; 0 turns limiting off */
  rateLimitPerMinute: number;
  /** how long a mutation waits for the read models to show its own write */
  readYourWritesTimeoutMs: number;
  logLevel: string;
  graphqlMaxDepth: number;
  graphqlMaxComplexity: number;
  /** where the generated GraphQL schema is written (the committed schema.graphql) or false to keep it in memory */
  schemaFile: string | false;
}

/** pino's levels, `silent` turning logs off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {}

/** For local use only: tokens printed by `npm run token` and the demo are signed with it. */
export const DEVELOPMENT_JWT_SECRET = 'perf-eval-development-secret-do-not-use-in-production';

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const port = integer(env, 'PORT', 3000, 0, 65535, problems);
  const rateLimitPerMinute = integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000, problems);
  const eventStoreUrl = env.EVENTSTORE_URL?.trim() || undefined;
  if (eventStoreUrl && !/^esdb(\+discover)?:\/\//.test(eventStoreUrl)) {
    problems.push(
      `EVENTSTORE_URL must be an esdb:// or esdb+discover:// connection string, got "${eventStoreUrl}"`,
    );
  }
  const redisUrl = env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl))
    problems.push(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  const secret = env.AUTH_JWT_SECRET?.trim();
  if (production && !secret) problems.push('AUTH_JWT_SECRET must be set when NODE_ENV=production');
  if (secret !== undefined && secret !== '' && secret.length < 16)
    problems.push('AUTH_JWT_SECRET must be at least 16 characters');
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    port,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    eventStoreUrl,
    redisUrl,
    queuePrefix: env.QUEUE_PREFIX ?? 'perf-eval',
    jwtSecret: secret || DEVELOPMENT_JWT_SECRET,
    production,
    rateLimitPerMinute,
    readYourWritesTimeoutMs: 5000,
    logLevel,
    graphqlMaxDepth: 10,
    graphqlMaxComplexity: 5000,
    // Only `npm run schema:generate` writes schema.graphql; a running service keeps the schema in memory.
    schemaFile: env.GRAPHQL_SCHEMA_FILE ? path.resolve(env.GRAPHQL_SCHEMA_FILE) : false,
  };
}

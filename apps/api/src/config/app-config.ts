import * as path from 'node:path';
import { InvalidDuration, parseDuration } from '@app/domain';
import { DEFAULT_MAX_TOKEN_TTL_SECONDS, tokenVerifier, type TokenVerifierOptions } from '../auth/tokens';
import { readJobSettings, wholeNumber } from '@app/jobs';
import { readAuthSettings } from '../auth/auth-config';
import type { AuthSettings } from '../auth/authenticator';

/** The API's environment (docs/access.md), read once at start; a bad value stops the start with a clear message. */
export interface AppConfig {
  port: number;
  dataDir: string;
  eventStoreUrl: string | undefined;
  redisUrl: string;
  /** prefix of the BullMQ keys, the same as the worker's */
  queuePrefix: string;
  /** the secret that signs tokens (the CLIs, tests); the same as `tokens.secret` */
  jwtSecret: string;
  /** what every verification of a bearer token checks: secret, lifetime, skew, issuer, audience */
  tokens: TokenVerifierOptions;
  /** sign-in beside HS256: OIDC, the session cookie, demo identities (docs/sign-in.md) */
  auth: AuthSettings;
  /** GraphiQL at /graphiql, served from node_modules: development only */
  graphiql: boolean;
  production: boolean;
  /** requests per minute per user or address; 0 turns limiting off */
  rateLimitPerMinute: number;
  /** how long a mutation waits for the read models to show its own write */
  readYourWritesTimeoutMs: number;
  /** read models kept on a thread of their own (PROJECTIONS_THREAD), else on the event loop */
  projectionsOnThread: boolean;
  logLevel: string;
  graphqlMaxDepth: number;
  graphqlMaxComplexity: number;
  /** where the generated GraphQL schema is written (the committed schema.graphql) or false to keep it in memory */
  schemaFile: string | false;
  /** a second port serving /metrics without a token, for a scraper on the internal network (off when unset) */
  metricsPort?: number;
  metricsHost?: string;
  /** the built web console (`npm run build:web`), served under /console/ */
  consoleDir: string;
}

/** pino's levels, `silent` turning logs off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {}

/** For local use only: tokens printed by `npm run token` and the demo are signed with it. */
export const DEVELOPMENT_JWT_SECRET = 'perf-eval-development-secret-do-not-use-in-production';

/**
 * Every secret-looking value committed to this repository: anyone can read them, so production refuses
 * each. A spec scans the repository (infra/*.env, docker-compose.yml, README, the tests) and fails when
 * a committed value is missing here and not refused otherwise.
 */
export const COMMITTED_SECRETS: ReadonlyArray<{ value: string; where: string }> = [
  { value: DEVELOPMENT_JWT_SECRET, where: 'the development secret' },
  { value: 'change-me-to-a-long-random-secret', where: "infra/api.env's placeholder" },
  { value: 'a-test-secret-of-sufficient-length', where: 'a test secret' },
  { value: 'another-secret-of-enough-length', where: 'a test secret' },
  { value: 'a-real-secret-of-32-characters!!', where: 'a test secret' },
  { value: 'benchmark-secret-0123456789', where: 'the benchmark secret' },
  { value: 'log-test-secret-0123456789', where: 'a test secret' },
  { value: 'not-the-server-secret', where: 'a test secret' },
  { value: 'webhook-secret-for-tests', where: 'a test secret' },
];

/** Words of placeholders people paste and forget ("change-me-…", "your-secret-here"). */
const PLACEHOLDER =
  /change[-_ ]?me|replace[-_ ]?me|placeholder|example|do[-_ ]?not[-_ ]?use|your[-_ ]?secret|secret[-_ ]?here/i;

/** Production's minimum: an HS256 key should be at least as long as its 256-bit hash (RFC 7518 §3.2). */
export const MIN_PRODUCTION_SECRET_BYTES = 32;

/** Why `secret` must not sign production tokens, or null when it may. */
export function productionSecretProblem(secret: string | undefined): string | null {
  if (!secret) return 'AUTH_JWT_SECRET must be set when NODE_ENV=production';
  const committed = COMMITTED_SECRETS.find((known) => known.value === secret);
  if (committed)
    return `AUTH_JWT_SECRET is ${committed.where}, published in this repository: generate a secret (e.g. openssl rand -base64 48)`;
  if (PLACEHOLDER.test(secret))
    return 'AUTH_JWT_SECRET looks like a placeholder: generate a secret (e.g. openssl rand -base64 48)';
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < MIN_PRODUCTION_SECRET_BYTES)
    return `AUTH_JWT_SECRET must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes when NODE_ENV=production (it has ${bytes})`;
  if (new Set(secret).size < 8) return 'AUTH_JWT_SECRET repeats too few characters to be a random secret';
  return null;
}

/** Tokens may last from a minute to a week; shorter lifetimes limit what a leaked token is worth. */
const TOKEN_TTL_RANGE_SECONDS = [60, 7 * 24 * 3600] as const;

/** AUTH_ISSUER / AUTH_AUDIENCE: unset or empty means "not checked". */
function optionalClaim(env: NodeJS.ProcessEnv, name: string, problems: string[]): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (value.length > 256 || [...value].some((c) => c < ' ' || c === '\u007f'))
    problems.push(`${name} must be at most 256 printable characters`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const port = wholeNumber(env, 'PORT', 3000, [0, 65535], problems);
  const rateLimitPerMinute = wholeNumber(env, 'RATE_LIMIT_PER_MINUTE', 600, [0, 1_000_000], problems);
  const eventStoreUrl = env.EVENTSTORE_URL?.trim() || undefined;
  if (eventStoreUrl && !/^esdb(\+discover)?:\/\//.test(eventStoreUrl)) {
    problems.push(
      `EVENTSTORE_URL must be an esdb:// or esdb+discover:// connection string, got "${eventStoreUrl}"`,
    );
  }
  const { redisUrl, queuePrefix } = readJobSettings(env, problems);
  const secret = env.AUTH_JWT_SECRET?.trim() || undefined;
  if (production) {
    const problem = productionSecretProblem(secret);
    if (problem) problems.push(problem);
  } else if (secret !== undefined && secret.length < 16) {
    problems.push('AUTH_JWT_SECRET must be at least 16 characters');
  }
  let maxTtlSeconds = DEFAULT_MAX_TOKEN_TTL_SECONDS;
  const ttl = env.AUTH_MAX_TOKEN_TTL?.trim();
  if (ttl) {
    const [min, max] = TOKEN_TTL_RANGE_SECONDS;
    try {
      const seconds = parseDuration(ttl) / 1000;
      if (seconds < min || seconds > max)
        problems.push(`AUTH_MAX_TOKEN_TTL must be from 1m to 7d, got "${ttl}"`);
      else maxTtlSeconds = seconds;
    } catch (error) {
      if (!(error instanceof InvalidDuration)) throw error;
      problems.push(`AUTH_MAX_TOKEN_TTL: ${error.message}`);
    }
  }
  const auth = readAuthSettings(env, production, maxTtlSeconds, problems);
  const issuer = optionalClaim(env, 'AUTH_ISSUER', problems);
  const audience = optionalClaim(env, 'AUTH_AUDIENCE', problems);
  const metricsPort = env.METRICS_PORT?.trim()
    ? wholeNumber(env, 'METRICS_PORT', 0, [0, 65535], problems)
    : undefined;
  const projectionsThread = env.PROJECTIONS_THREAD?.trim() || 'false';
  if (projectionsThread !== 'true' && projectionsThread !== 'false')
    problems.push(`PROJECTIONS_THREAD must be true or false, got "${projectionsThread}"`);
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    port,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    consoleDir: path.resolve(env.CONSOLE_DIR ?? 'dist/web'),
    eventStoreUrl,
    redisUrl,
    queuePrefix,
    jwtSecret: secret ?? DEVELOPMENT_JWT_SECRET,
    tokens: tokenVerifier(secret ?? DEVELOPMENT_JWT_SECRET, {
      maxTtlSeconds,
      ...(issuer !== undefined && { issuer }),
      ...(audience !== undefined && { audience }),
    }),
    auth,
    graphiql: !production,
    production,
    rateLimitPerMinute,
    readYourWritesTimeoutMs: 5000,
    projectionsOnThread: projectionsThread === 'true',
    logLevel,
    graphqlMaxDepth: 10,
    graphqlMaxComplexity: 5000,
    // Only `npm run schema:generate` writes schema.graphql; a running service keeps the schema in memory.
    schemaFile: env.GRAPHQL_SCHEMA_FILE ? path.resolve(env.GRAPHQL_SCHEMA_FILE) : false,
    ...(metricsPort !== undefined && { metricsPort, metricsHost: env.METRICS_HOST?.trim() || '0.0.0.0' }),
  };
}

/**
 * Environment settings the API and the worker read alike, checked the same way: a bad value is a
 * problem naming the variable, collected so that one start reports them all.
 */

/**
 * A whole number from the environment: unset or empty is the default; anything but digits ("1e3",
 * "0x10", " 5", "abc") or a value out of range is a problem naming the variable.
 */
export function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  [min, max]: readonly [number, number],
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

const QUEUE_PREFIX_PATTERN = /^[A-Za-z0-9{}][A-Za-z0-9_.{}-]{0,63}$/;

/**
 * Where the jobs live: REDIS_URL, and QUEUE_PREFIX, which the API and the worker must agree on (the
 * board and report requests use the worker's keys). BullMQ keys are `<prefix>:<queue>:…`, and tests and
 * tools find them with SCAN MATCH `<prefix>:*`: no colon, space or glob character in the prefix; braces
 * are allowed for a Redis Cluster hash tag.
 */
export function readJobSettings(
  env: NodeJS.ProcessEnv,
  problems: string[],
): { redisUrl: string; queuePrefix: string } {
  const redisUrl = env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl))
    problems.push(`REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  const queuePrefix = env.QUEUE_PREFIX ?? 'perf-eval';
  if (!QUEUE_PREFIX_PATTERN.test(queuePrefix))
    problems.push(
      `QUEUE_PREFIX must be 1 to 64 letters, digits, "-", "_", "." or braces (no space or colon), got "${queuePrefix}"`,
    );
  return { redisUrl, queuePrefix };
}

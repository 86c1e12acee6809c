import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  COMMITTED_SECRETS,
  ConfigError,
  DEVELOPMENT_JWT_SECRET,
  MIN_PRODUCTION_SECRET_BYTES,
  loadConfig,
} from './app-config';

const ROOT = path.resolve(__dirname, '../../../..');

/** A secret as an operator should make one (openssl rand -base64 48); never a literal in this repository. */
const generatedSecret = () => randomBytes(48).toString('base64');

/** The message of the refusal, or '' when the configuration loads. */
function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}
const inProduction = (secret: string | undefined) =>
  refusal({ NODE_ENV: 'production', ...(secret !== undefined && { AUTH_JWT_SECRET: secret }) });

/** The files of the repository worth scanning for secrets: configuration, documentation and code. */
function repositoryFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', 'dist', 'data', 'coverage'].includes(entry.name) || entry.name.startsWith('.'))
        continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js|env|ya?ml|md|json)$/.test(entry.name) && !entry.name.endsWith('.schema.json'))
        files.push(full);
    }
  };
  walk(ROOT);
  return files;
}

/**
 * Secret-looking values committed to the repository: AUTH_JWT_SECRET= in env, compose and Markdown files;
 * in code, a string given to something named *secret*, or a literal containing "secret" passed last to a
 * call (`signToken(actor, 'not-the-server-secret')`).
 */
function committedSecretValues(): Array<{ value: string; file: string }> {
  const found: Array<{ value: string; file: string }> = [];
  for (const file of repositoryFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const relative = path.relative(ROOT, file);
    const patterns = /\.(ts|js|json)$/.test(file)
      ? [
          /\b\w*secret\w*['"]?\s*[:=]\s*(['"`])([^'"`\n]+)\1/gi,
          /,\s*(['"`])([^'"`\n]*secret[^'"`\n]*)\1\s*\)/gi,
        ]
      : [/AUTH_JWT_SECRET\s*[:=]\s*(['"]?)([^\s'"#]+)\1/g];
    for (const pattern of patterns)
      for (const match of text.matchAll(pattern))
        // a template with a placeholder is code, not a value
        if (!match[2].includes('${')) found.push({ value: match[2], file: relative });
  }
  return found;
}

describe('configuration is checked at start', () => {
  it('defaults to the embedded store under ./data with the development secret', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      eventStoreUrl: undefined,
      jwtSecret: DEVELOPMENT_JWT_SECRET,
      tokens: { secret: DEVELOPMENT_JWT_SECRET, maxTtlSeconds: 12 * 3600, clockSkewSeconds: 60 },
      rateLimitPerMinute: 600,
      production: false,
    });
    expect(config.tokens.issuer).toBeUndefined();
    expect(config.tokens.audience).toBeUndefined();
    expect(config.dataDir).toMatch(/data$/);
  });

  it('outside production the development default and any secret of 16+ characters work', () => {
    expect(refusal({ NODE_ENV: 'development' })).toBe('');
    expect(refusal({ AUTH_JWT_SECRET: 'change-me-to-a-long-random-secret' })).toBe('');
    expect(refusal({ AUTH_JWT_SECRET: 'short' })).toContain('AUTH_JWT_SECRET must be at least 16 characters');
  });

  it('refuses to start in production without AUTH_JWT_SECRET, and starts with a generated one', () => {
    expect(inProduction(undefined)).toContain('AUTH_JWT_SECRET must be set when NODE_ENV=production');
    expect(inProduction('   ')).toContain('AUTH_JWT_SECRET must be set when NODE_ENV=production');
    const secret = generatedSecret();
    const config = loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: secret });
    expect(config).toMatchObject({ production: true, jwtSecret: secret, tokens: { secret } });
  });

  it(`refuses in production a secret shorter than ${MIN_PRODUCTION_SECRET_BYTES} bytes, counted in UTF-8`, () => {
    const ascii = generatedSecret();
    expect(inProduction(ascii.slice(0, 31))).toContain('AUTH_JWT_SECRET must be at least 32 bytes');
    expect(inProduction(ascii.slice(0, 32))).toBe('');
    // ten random CJK characters are 30 bytes, eleven are 33
    const cjk = Array.from(randomBytes(11), (b, i) => String.fromCodePoint(0x4e00 + b * 37 + i)).join('');
    expect(inProduction(cjk.slice(0, 10))).toContain('(it has 30)');
    expect(inProduction(cjk)).toBe('');
  });

  it('refuses in production the development secret, placeholders and repetitive secrets', () => {
    expect(inProduction(DEVELOPMENT_JWT_SECRET)).toContain('AUTH_JWT_SECRET is the development secret');
    expect(inProduction('your-secret-here-0123456789abcdefghijkl')).toContain('looks like a placeholder');
    expect(inProduction('CHANGE_ME_please_to_something_long_and_random')).toContain(
      'looks like a placeholder',
    );
    expect(inProduction('a'.repeat(64))).toContain('repeats too few characters');
  });

  it('ships no secret: the compose stack takes AUTH_JWT_SECRET and the Redis password from the environment', () => {
    const env = fs.readFileSync(path.join(ROOT, 'infra/api.env'), 'utf8');
    const compose = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    // the compose stack sets NODE_ENV=production from the file, so an unset secret refuses to start
    expect(/^NODE_ENV=production$/m.test(env)).toBe(true);
    expect(/^AUTH_JWT_SECRET=/m.test(env)).toBe(false);
    expect(compose).toContain('AUTH_JWT_SECRET: ${AUTH_JWT_SECRET:?');
    expect(compose).toContain('REDIS_PASSWORD: ${REDIS_PASSWORD:?');
    expect(inProduction(undefined)).toMatch(/AUTH_JWT_SECRET must be set/);
  });

  it('refuses in production every secret-looking value committed to the repository, and names the shipped ones', () => {
    const found = committedSecretValues();
    const values = new Set(found.map((f) => f.value));
    // the scan itself works: it sees the development secret, the compose placeholder and a test secret
    expect(values).toContain(DEVELOPMENT_JWT_SECRET);
    expect(values).toContain('change-me-to-a-long-random-secret');
    expect(values).toContain('a-test-secret-of-sufficient-length');
    for (const { value, file } of found) {
      const message = inProduction(value);
      expect({ value, file, refused: /AUTH_JWT_SECRET/.test(message) }).toEqual({
        value,
        file,
        refused: true,
      });
    }
    const listed = new Set(COMMITTED_SECRETS.map((known) => known.value));
    // whatever the deployment files or the README show must be on the refusal list
    const shipped = found.filter((f) => /^(infra\/|docker-compose|README)/.test(f.file));
    for (const { value, file } of shipped)
      expect({ value, file, listed: listed.has(value) }).toEqual({ value, file, listed: true });
    // the refusal never repeats the secret itself
    expect(inProduction('change-me-to-a-long-random-secret')).not.toContain(
      'change-me-to-a-long-random-secret',
    );
  });

  it('AUTH_MAX_TOKEN_TTL: a duration from 1m to 7d, 12h by default', () => {
    expect(loadConfig({ AUTH_MAX_TOKEN_TTL: '1h' }).tokens.maxTtlSeconds).toBe(3600);
    expect(loadConfig({ AUTH_MAX_TOKEN_TTL: '7d' }).tokens.maxTtlSeconds).toBe(7 * 24 * 3600);
    expect(loadConfig({ AUTH_MAX_TOKEN_TTL: '' }).tokens.maxTtlSeconds).toBe(12 * 3600);
    for (const bad of ['abc', '12', '30s', '8d', '0m', '-1h'])
      expect(refusal({ AUTH_MAX_TOKEN_TTL: bad })).toContain('AUTH_MAX_TOKEN_TTL');
  });

  it('PROJECTIONS_THREAD: the read models on the event loop unless set to true', () => {
    expect(loadConfig({}).projectionsOnThread).toBe(false);
    expect(loadConfig({ PROJECTIONS_THREAD: 'true' }).projectionsOnThread).toBe(true);
    expect(loadConfig({ PROJECTIONS_THREAD: 'false' }).projectionsOnThread).toBe(false);
    for (const bad of ['yes', '1', 'TRUE'])
      expect(refusal({ PROJECTIONS_THREAD: bad })).toContain('PROJECTIONS_THREAD');
  });

  it('AUTH_ISSUER and AUTH_AUDIENCE go into the verifier options when set', () => {
    expect(
      loadConfig({ AUTH_ISSUER: ' perf-eval-wangcheng ', AUTH_AUDIENCE: 'perf-eval-api' }).tokens,
    ).toMatchObject({
      issuer: 'perf-eval-wangcheng',
      audience: 'perf-eval-api',
    });
    expect(refusal({ AUTH_ISSUER: 'x\u0000y' })).toContain('AUTH_ISSUER');
  });

  it('names every bad value at once', () => {
    const message = refusal({
      PORT: 'eighty',
      EVENTSTORE_URL: 'http://x',
      REDIS_URL: 'localhost',
      RATE_LIMIT_PER_MINUTE: '-1',
      AUTH_JWT_SECRET: 'short',
      LOG_LEVEL: 'verbose',
      AUTH_MAX_TOKEN_TTL: 'forever',
      AUTH_AUDIENCE: 'a'.repeat(300),
      QUEUE_PREFIX: 'perf:eval',
    });
    for (const name of [
      'PORT',
      'EVENTSTORE_URL',
      'REDIS_URL',
      'RATE_LIMIT_PER_MINUTE',
      'AUTH_JWT_SECRET',
      'LOG_LEVEL',
      'AUTH_MAX_TOKEN_TTL',
      'AUTH_AUDIENCE',
      'QUEUE_PREFIX',
    ])
      expect(message).toContain(name);
  });

  it('whole numbers only: no exponents, hex or spaces', () => {
    for (const bad of ['1e3', '0x10', ' 80', '80.5'])
      expect(refusal({ PORT: bad })).toContain('PORT must be a whole number');
  });

  it('accepts an EventStoreDB connection string and turns limiting off with 0', () => {
    expect(
      loadConfig({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false', RATE_LIMIT_PER_MINUTE: '0' }),
    ).toMatchObject({
      eventStoreUrl: 'esdb://localhost:2113?tls=false',
      rateLimitPerMinute: 0,
    });
  });
});

import { InvalidDuration, parseDuration } from '@app/domain';
import type { AuthSettings, SessionSettings } from './authenticator';
import { OIDC_ALGORITHMS, type OidcAlgorithm, type OidcSettings } from './oidc';

/** A session lasts a working day unless AUTH_SESSION_TTL says otherwise (never past AUTH_MAX_TOKEN_TTL). */
export const DEFAULT_SESSION_TTL_SECONDS = 8 * 3600;

/**
 * The session cookie. Secure in production, where its name carries the `__Host-` prefix: the browser then
 * keeps it only if it was set over HTTPS, for the whole host (Path=/, no Domain), so a sibling subdomain
 * cannot plant or overwrite it. Without HTTPS (development) the prefix would make browsers drop it.
 */
export function sessionSettings(
  production: boolean,
  ttlSeconds = DEFAULT_SESSION_TTL_SECONDS,
): SessionSettings {
  return {
    cookieName: production ? '__Host-perf-eval-session' : 'perf-eval-session',
    secure: production,
    ttlSeconds,
  };
}

/** What tests and a bare development start get: demo sign-in outside production, no OIDC. */
export function defaultAuthSettings(production: boolean): AuthSettings {
  return { demoSignIn: !production, session: sessionSettings(production), consoleOrigins: [] };
}

const text = (env: NodeJS.ProcessEnv, name: string): string | undefined => env[name]?.trim() || undefined;

function httpsUrl(value: string, name: string, production: boolean, problems: string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name} must be a URL, got "${value}"`);
    return;
  }
  // Keys and discovery over plain HTTP could be swapped in transit: production takes HTTPS only.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !production))
    problems.push(`${name} must be an https:// URL${production ? ' in production' : ''}`);
}

/** OIDC_*: unset OIDC_ISSUER leaves OIDC off; set, it needs OIDC_AUDIENCE (else any client's tokens pass). */
function readOidc(env: NodeJS.ProcessEnv, production: boolean, problems: string[]): OidcSettings | undefined {
  const issuer = text(env, 'OIDC_ISSUER');
  if (!issuer) return undefined;
  httpsUrl(issuer, 'OIDC_ISSUER', production, problems);
  const audience = text(env, 'OIDC_AUDIENCE');
  if (!audience) problems.push('OIDC_AUDIENCE must be set with OIDC_ISSUER');
  const jwksUri = text(env, 'OIDC_JWKS_URI');
  if (jwksUri) httpsUrl(jwksUri, 'OIDC_JWKS_URI', production, problems);
  const algorithms = (text(env, 'OIDC_ALGORITHMS') ?? OIDC_ALGORITHMS.join(','))
    .split(',')
    .map((alg) => alg.trim()) as OidcAlgorithm[];
  const unknown = algorithms.filter((alg) => !(OIDC_ALGORITHMS as readonly string[]).includes(alg));
  if (unknown.length > 0 || algorithms.length === 0)
    problems.push(`OIDC_ALGORITHMS must list some of ${OIDC_ALGORITHMS.join(', ')}`);
  // The console's own route: the page exchanges the code itself (PKCE) and posts the token to /auth/session.
  const redirectPath = text(env, 'OIDC_REDIRECT_PATH') ?? '/console/callback';
  if (!redirectPath.startsWith('/')) problems.push('OIDC_REDIRECT_PATH must be a path starting with /');
  return {
    issuer,
    audience: audience ?? '',
    clientId: text(env, 'OIDC_CLIENT_ID') ?? audience ?? '',
    ...(jwksUri && { jwksUri }),
    scopes: text(env, 'OIDC_SCOPES') ?? 'openid profile',
    redirectPath,
    claims: {
      subject: text(env, 'OIDC_SUBJECT_CLAIM') ?? 'sub',
      role: text(env, 'OIDC_ROLE_CLAIM') ?? 'role',
      district: text(env, 'OIDC_DISTRICT_CLAIM') ?? 'district',
      department: text(env, 'OIDC_DEPARTMENT_CLAIM') ?? 'department',
    },
    algorithms,
    jwksCooldownMs: 30_000,
  };
}

/** The sign-in settings from the environment (docs/sign-in.md); problems are added to `problems`. */
export function readAuthSettings(
  env: NodeJS.ProcessEnv,
  production: boolean,
  maxTtlSeconds: number,
  problems: string[],
): AuthSettings {
  const demo = text(env, 'AUTH_DEMO');
  if (demo !== undefined && demo !== 'true' && demo !== 'false')
    problems.push(`AUTH_DEMO must be true or false, got "${demo}"`);
  // Demo identities sign anyone in as anyone: never in production, whatever the flag says.
  if (production && demo === 'true') problems.push('AUTH_DEMO=true is refused when NODE_ENV=production');
  let ttlSeconds = Math.min(DEFAULT_SESSION_TTL_SECONDS, maxTtlSeconds);
  const ttl = text(env, 'AUTH_SESSION_TTL');
  if (ttl) {
    try {
      ttlSeconds = parseDuration(ttl) / 1000;
      if (ttlSeconds < 60 || ttlSeconds > maxTtlSeconds)
        problems.push(`AUTH_SESSION_TTL must be from 1m to AUTH_MAX_TOKEN_TTL, got "${ttl}"`);
    } catch (error) {
      if (!(error instanceof InvalidDuration)) throw error;
      problems.push(`AUTH_SESSION_TTL: ${error.message}`);
    }
  }
  const consoleOrigins = (text(env, 'AUTH_CONSOLE_ORIGINS') ?? '').split(',').flatMap((origin) => {
    const trimmed = origin.trim();
    if (!trimmed) return [];
    if (!/^https?:\/\/[^/]+$/.test(trimmed))
      problems.push(`AUTH_CONSOLE_ORIGINS must list origins like https://console.example, got "${trimmed}"`);
    return [trimmed];
  });
  const oidc = readOidc(env, production, problems);
  return {
    ...(oidc && { oidc }),
    demoSignIn: !production && demo !== 'false',
    session: sessionSettings(production, ttlSeconds),
    consoleOrigins,
  };
}

import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ROLES, type Actor, type Role } from '@app/domain';

export class InvalidToken extends Error {}

/**
 * Everything checking a bearer token needs, from AppConfig (`config.tokens`), passed whole to every place
 * that verifies one (GraphQL, downloads, the queue board, the rate limiter), so none can forget a check.
 */
export interface TokenVerifierOptions {
  /** HS256 secret (AUTH_JWT_SECRET) */
  secret: string;
  /** longest lifetime a token may claim (AUTH_MAX_TOKEN_TTL): exp − iat, or exp − now without iat */
  maxTtlSeconds: number;
  /** how far iat and nbf may lie in the future: the issuer's clock may run a little ahead */
  clockSkewSeconds: number;
  /** when set, the `iss` every token must carry (AUTH_ISSUER) */
  issuer?: string;
  /** when set, an `aud` every token must carry (AUTH_AUDIENCE) */
  audience?: string;
}

export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 12 * 3600;
export const CLOCK_SKEW_SECONDS = 60;

/** Verifier options with the defaults (12 h at most, 60 s of skew, no issuer or audience). */
export function tokenVerifier(
  secret: string,
  options: Partial<Omit<TokenVerifierOptions, 'secret'>> = {},
): TokenVerifierOptions {
  return {
    secret,
    maxTtlSeconds: DEFAULT_MAX_TOKEN_TTL_SECONDS,
    clockSkewSeconds: CLOCK_SKEW_SECONDS,
    ...options,
  };
}

const keys = new Map<string, KeyObject>();

/** The secret as a key object, made once: jsonwebtoken would otherwise parse the string on every request. */
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** What a cached verification was checked against: a token verified under other options is checked again. */
const fingerprints = new WeakMap<TokenVerifierOptions, string>();
function fingerprintOf(options: TokenVerifierOptions): string {
  let fingerprint = fingerprints.get(options);
  if (fingerprint === undefined) {
    const { secret, maxTtlSeconds, clockSkewSeconds, issuer, audience } = options;
    fingerprint = JSON.stringify([secret, maxTtlSeconds, clockSkewSeconds, issuer ?? null, audience ?? null]);
    fingerprints.set(options, fingerprint);
  }
  return fingerprint;
}

/**
 * Verified tokens, so a client's every request does not pay for verifying the same signature again.
 * Bounded; an entry is used only until the token's own expiry (every accepted token has one) and only
 * under the options it was checked with. The other checks cannot turn false later: a token's iat, nbf
 * and lifetime were acceptable at verification and time only moves on.
 */
const verified = new Map<string, { actor: Actor; expiresAtMs: number; fingerprint: string }>();
const VERIFIED_LIMIT = 10_000;

/** HS256 bearer tokens (docs/access.md): sub, role, and department or district as the role needs. */
export function actorFromToken(token: string, options: TokenVerifierOptions): Actor {
  return verifiedToken(token, options).actor;
}

/** The same, with the token's expiry (seconds since the epoch), e.g. to end a WebSocket with its token. */
export function verifiedToken(token: string, options: TokenVerifierOptions): { actor: Actor; exp: number } {
  const now = Date.now();
  const fingerprint = fingerprintOf(options);
  const known = verified.get(token);
  if (known && known.fingerprint === fingerprint && now < known.expiresAtMs)
    return { actor: known.actor, exp: known.expiresAtMs / 1000 };
  const { actor, exp } = verifyToken(token, options, now / 1000);
  if (verified.size >= VERIFIED_LIMIT) verified.clear();
  verified.set(token, { actor, fingerprint, expiresAtMs: exp * 1000 });
  return { actor, exp };
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function verifyToken(
  token: string,
  options: TokenVerifierOptions,
  now: number,
): { actor: Actor; exp: number } {
  let claims: jwt.JwtPayload;
  try {
    const verified = jwt.verify(token, keyFor(options.secret), {
      // pinned: no "none", no RS/HS confusion, no other HMAC
      algorithms: ['HS256'],
      clockTimestamp: Math.floor(now),
      // checked below, with the allowed skew
      ignoreNotBefore: true,
    });
    if (typeof verified === 'string') throw new InvalidToken('token payload is not an object');
    claims = verified;
  } catch (error) {
    throw new InvalidToken(error instanceof Error ? error.message : 'invalid token');
  }
  const { exp, iat, nbf, iss, aud } = claims;
  // A token without an expiry would be valid forever once it leaks.
  if (!isTime(exp)) throw new InvalidToken('token has no expiry (exp)');
  // Without iat a lifetime cannot be told: a token valid for a year would pass in its last hours.
  if (iat === undefined) throw new InvalidToken('token has no issue time (iat)');
  if (!isTime(iat)) throw new InvalidToken('invalid iat value');
  if (nbf !== undefined && !isTime(nbf)) throw new InvalidToken('invalid nbf value');
  if (iat > now + options.clockSkewSeconds) throw new InvalidToken('token issued in the future (iat)');
  if (nbf !== undefined && nbf > now + options.clockSkewSeconds) throw new InvalidToken('jwt not active');
  if (exp - iat > options.maxTtlSeconds)
    throw new InvalidToken('token lifetime exceeds the maximum (AUTH_MAX_TOKEN_TTL)');
  // The expected values are not echoed: the message reaches the client.
  if (options.issuer !== undefined && iss !== options.issuer)
    throw new InvalidToken('token issuer not accepted');
  if (options.audience !== undefined && ![aud].flat().includes(options.audience))
    throw new InvalidToken('token audience not accepted');
  const { sub, role, department, district } = claims as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') throw new InvalidToken('token has no subject');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw new InvalidToken('token has no valid role');
  const actor: Actor = { id: sub, role: role as Role };
  if (typeof department === 'string' && department !== '') actor.department = department;
  if (typeof district === 'string' && district !== '') actor.district = district;
  return { actor: withScopeClaims(actor), exp };
}

/** The actor if its role has the scope claim it needs (docs/access.md), whatever kind of token named it. */
export function withScopeClaims(actor: Actor): Actor {
  if (actor.role === 'DEPARTMENT' && !actor.department)
    throw new InvalidToken('a DEPARTMENT token needs a department claim');
  if ((actor.role === 'SUPERVISOR' || actor.role === 'AUDITOR') && !actor.district)
    throw new InvalidToken(`a ${actor.role} token needs a district claim`);
  return actor;
}

/**
 * A token for `actor`, always with iat and exp. Given the verifier options (as the CLIs and tests do),
 * it carries their issuer and audience and lasts, by default, the longest lifetime they accept; given
 * a bare secret, 12 hours.
 */
export function signToken(
  actor: Actor,
  signer: string | TokenVerifierOptions,
  expiresIn?: jwt.SignOptions['expiresIn'],
): string {
  const options = typeof signer === 'string' ? tokenVerifier(signer) : signer;
  const claims: Record<string, string> = { role: actor.role };
  if (actor.department) claims.department = actor.department;
  if (actor.district) claims.district = actor.district;
  return jwt.sign(claims, options.secret, {
    algorithm: 'HS256',
    subject: actor.id,
    expiresIn: expiresIn ?? options.maxTtlSeconds,
    ...(options.issuer !== undefined && { issuer: options.issuer }),
    ...(options.audience !== undefined && { audience: options.audience }),
  });
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match ? match[1] : null;
}

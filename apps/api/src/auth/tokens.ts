import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ROLES, type Actor, type Role } from '@app/evaluation';

export class InvalidToken extends Error {}

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

/**
 * Verified tokens, so a client's every request does not pay for verifying the same signature again.
 * Bounded; an entry is used only until the token's own expiry.
 */
const verified = new Map<string, { actor: Actor; expiresAtMs: number; secret: string }>();
const VERIFIED_LIMIT = 10_000;

/** HS256 bearer tokens (DOMAIN.md §10): sub, role, and department or district as the role needs. */
export function actorFromToken(token: string, secret: string): Actor {
  const known = verified.get(token);
  if (known && known.secret === secret && Date.now() < known.expiresAtMs) return known.actor;
  const actor = verifyToken(token, secret);
  if (verified.size >= VERIFIED_LIMIT) verified.clear();
  const { exp } = jwt.decode(token) as jwt.JwtPayload;
  // Tokens without an expiry are re-verified after a minute at most.
  verified.set(token, { actor, secret, expiresAtMs: exp ? exp * 1000 : Date.now() + 60_000 });
  return actor;
}

function verifyToken(token: string, secret: string): Actor {
  let claims: jwt.JwtPayload;
  try {
    const verified = jwt.verify(token, keyFor(secret), { algorithms: ['HS256'] });
    if (typeof verified === 'string') throw new InvalidToken('token payload is not an object');
    claims = verified;
  } catch (error) {
    throw new InvalidToken(error instanceof Error ? error.message : 'invalid token');
  }
  const { sub, role, department, district } = claims as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') throw new InvalidToken('token has no subject');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw new InvalidToken('token has no valid role');
  const actor: Actor = { id: sub, role: role as Role };
  if (typeof department === 'string' && department !== '') actor.department = department;
  if (typeof district === 'string' && district !== '') actor.district = district;
  if (actor.role === 'DEPARTMENT' && !actor.department)
    throw new InvalidToken('a DEPARTMENT token needs a department claim');
  if ((actor.role === 'SUPERVISOR' || actor.role === 'AUDITOR') && !actor.district) {
    throw new InvalidToken(`a ${actor.role} token needs a district claim`);
  }
  return actor;
}

export function signToken(
  actor: Actor,
  secret: string,
  expiresIn: jwt.SignOptions['expiresIn'] = '12h',
): string {
  const claims: Record<string, string> = { role: actor.role };
  if (actor.department) claims.department = actor.department;
  if (actor.district) claims.district = actor.district;
  return jwt.sign(claims, secret, { algorithm: 'HS256', subject: actor.id, expiresIn });
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match ? match[1] : null;
}

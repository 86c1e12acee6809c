import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { ROLES, type Actor, type Role } from '@app/domain';
import { InvalidToken, withScopeClaims, type TokenVerifierOptions } from './tokens';

/** The asymmetric algorithms an identity provider may sign with; never HS*, never none. */
export const OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number];

/** OpenID Connect at the organisation's identity provider (docs/sign-in.md), from OIDC_* (app-config.ts). */
export interface OidcSettings {
  /** OIDC_ISSUER: the `iss` every token must carry, and where discovery is read from */
  issuer: string;
  /** OIDC_AUDIENCE: an `aud` every token must carry (the client id for id tokens) */
  audience: string;
  /** OIDC_CLIENT_ID: the console's public client id (default: the audience) */
  clientId: string;
  /** OIDC_JWKS_URI, else discovered from the issuer's /.well-known/openid-configuration */
  jwksUri?: string;
  /** OIDC_SCOPES: what the console asks for */
  scopes: string;
  /** OIDC_REDIRECT_PATH: where the identity provider sends the browser back to, on the console's origin */
  redirectPath: string;
  /** claim names (a dotted path reads a nested claim, e.g. `realm_access.roles`) */
  claims: { subject: string; role: string; district: string; department: string };
  algorithms: OidcAlgorithm[];
  /** how long an unknown `kid` waits before the key set is fetched again (jose's cooldown; tests set 0) */
  jwksCooldownMs: number;
}

/** What the browser needs to run the authorization-code flow with PKCE itself (GET /auth/config). */
export interface OidcEndpoints {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint: string | null;
}

interface Discovery extends OidcEndpoints {
  jwksUri: string;
}

const DISCOVERY_TTL_MS = 3600_000;
const FETCH_TIMEOUT_MS = 5000;

/** A claim by name, a dotted name reading into nested objects. */
function claimAt(payload: JWTPayload, name: string): unknown {
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The one known role a claim names; a list naming several known roles is refused (no guessing). */
function roleFrom(value: unknown): Role {
  const names = Array.isArray(value) ? value : [value];
  const roles = names.filter((name): name is Role => (ROLES as readonly unknown[]).includes(name));
  if (roles.length !== 1) throw new InvalidToken('token has no valid role');
  return roles[0];
}

const textClaim = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * Verifies the identity provider's tokens (RS256/ES256 against its JWKS, issuer, audience, expiry, the
 * API's longest lifetime) and maps their claims onto the same actor an HS256 token gives. Every failure
 * is an InvalidToken, answered like any bad token (401 / UNAUTHENTICATED).
 */
export class OidcVerifier {
  private discovery: { value: Promise<Discovery>; until: number } | null = null;
  private keys: { uri: string; get: JWTVerifyGetKey } | null = null;

  constructor(
    readonly settings: OidcSettings,
    private readonly limits: Pick<TokenVerifierOptions, 'maxTtlSeconds' | 'clockSkewSeconds'>,
  ) {}

  async verify(token: string): Promise<{ actor: Actor; exp: number }> {
    const { settings } = this;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: settings.algorithms,
        clockTolerance: this.limits.clockSkewSeconds,
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      if (error instanceof InvalidToken) throw error;
      // jose's messages name the failed check (`"iss" claim check failed`) without the expected value.
      if (error instanceof joseErrors.JOSEError) throw new InvalidToken(error.message);
      throw new InvalidToken('token could not be verified');
    }
    const exp = payload.exp!;
    if (exp - payload.iat! > this.limits.maxTtlSeconds)
      throw new InvalidToken('token lifetime exceeds the maximum (AUTH_MAX_TOKEN_TTL)');
    return { actor: this.actorOf(payload), exp };
  }

  /** The claims, as configured, onto an actor with the same requirements as tokens.ts. */
  private actorOf(payload: JWTPayload): Actor {
    const { claims } = this.settings;
    const id = textClaim(claimAt(payload, claims.subject));
    if (!id) throw new InvalidToken('token has no subject');
    const actor: Actor = { id, role: roleFrom(claimAt(payload, claims.role)) };
    const department = textClaim(claimAt(payload, claims.department));
    const district = textClaim(claimAt(payload, claims.district));
    if (department) actor.department = department;
    if (district) actor.district = district;
    return withScopeClaims(actor);
  }

  /** The provider's endpoints for the browser's sign-in, discovered once an hour. */
  async endpoints(): Promise<OidcEndpoints> {
    const { authorizationEndpoint, tokenEndpoint, endSessionEndpoint } = await this.discover();
    return { authorizationEndpoint, tokenEndpoint, endSessionEndpoint };
  }

  /**
   * The provider's key set, as jose fetches it: cached, fetched again for a `kid` it does not know
   * (key rotation) but not more often than the cooldown, so random kids cannot make us hammer the IdP.
   */
  private async keySet(): Promise<JWTVerifyGetKey> {
    const uri = this.settings.jwksUri ?? (await this.discover()).jwksUri;
    if (this.keys?.uri !== uri) {
      const get = createRemoteJWKSet(new URL(uri), {
        cooldownDuration: this.settings.jwksCooldownMs,
        timeoutDuration: FETCH_TIMEOUT_MS,
      });
      this.keys = { uri, get };
    }
    return this.keys.get;
  }

  private discover(): Promise<Discovery> {
    const now = Date.now();
    if (this.discovery && now < this.discovery.until) return this.discovery.value;
    const value = this.fetchDiscovery();
    this.discovery = { value, until: now + DISCOVERY_TTL_MS };
    // A failed discovery is tried again at the next request, not an hour later.
    value.catch(() => {
      if (this.discovery?.value === value) this.discovery = null;
    });
    return value;
  }

  private async fetchDiscovery(): Promise<Discovery> {
    const url = `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document: Record<string, unknown>;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = (await response.json()) as Record<string, unknown>;
    } catch (error) {
      throw new InvalidToken(`identity provider discovery failed (${(error as Error).message})`);
    }
    // OpenID Connect Discovery §4.3: the document must be the issuer's own.
    if (document.issuer !== this.settings.issuer)
      throw new InvalidToken('identity provider discovery names another issuer');
    const text = (name: string) => (typeof document[name] === 'string' ? (document[name] as string) : null);
    const jwksUri = text('jwks_uri');
    const authorizationEndpoint = text('authorization_endpoint');
    const tokenEndpoint = text('token_endpoint');
    if (!jwksUri || !authorizationEndpoint || !tokenEndpoint)
      throw new InvalidToken('identity provider discovery lacks jwks_uri or an endpoint');
    return {
      jwksUri,
      authorizationEndpoint,
      tokenEndpoint,
      endSessionEndpoint: text('end_session_endpoint'),
    };
  }
}

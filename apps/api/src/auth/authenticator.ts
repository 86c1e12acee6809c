import type { IncomingHttpHeaders } from 'node:http';
import { decodeProtectedHeader } from 'jose';
import type { Actor } from '@app/domain';
import { OidcVerifier, type OidcSettings } from './oidc';
import { InvalidToken, bearerToken, verifiedToken, type TokenVerifierOptions } from './tokens';

/** The browser's session (docs/sign-in.md): an HttpOnly cookie holding a token this API signed. */
export interface SessionSettings {
  cookieName: string;
  /** the cookie's Secure flag (always in production) */
  secure: boolean;
  /** AUTH_SESSION_TTL: how long a session lasts, at most AUTH_MAX_TOKEN_TTL */
  ttlSeconds: number;
}

/** How callers sign in: HS256 always (scripts), OIDC when configured, demo identities outside production. */
export interface AuthSettings {
  oidc?: OidcSettings;
  /** AUTH_DEMO: the demo identities may sign in (never in production) */
  demoSignIn: boolean;
  session: SessionSettings;
  /** AUTH_CONSOLE_ORIGINS: origins besides the API's own whose pages may use the session cookie */
  consoleOrigins: string[];
}

/** Where a request's token came from: cookie-authenticated requests get the cross-site checks. */
export type Credentials = { token: string; via: 'header' | 'cookie' };

/** One cookie's value from a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The bearer token, or else the session cookie: a script's header wins over a browser's cookie. */
export function credentialsOf(headers: IncomingHttpHeaders, session: SessionSettings): Credentials | null {
  const header = bearerToken(headers.authorization);
  if (header) return { token: header, via: 'header' };
  const cookie = cookieValue(headers.cookie, session.cookieName);
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

/** Who a request is from: the actor (null without credentials, or with refused ones) and why not. */
export interface RequestCaller {
  actor: Actor | null;
  authError: string | null;
  via: Credentials['via'] | null;
  /** when the token ends (seconds since the epoch); 0 without an actor */
  exp: number;
}

const OIDC_CACHE_LIMIT = 10_000;

/**
 * Turns any accepted token into the caller: HS256 (AUTH_JWT_SECRET: scripts, the CLIs and the session
 * cookie) or, when OIDC is configured, the identity provider's RS256/ES256 tokens. The algorithm in the
 * token's header only picks which verifier is asked; each pins its own algorithms, so a token claiming
 * HS256 signed with the provider's public key, or claiming `none`, fails the verifier it reaches.
 */
export class Authenticator {
  readonly oidc: OidcVerifier | null;
  /** verified OIDC tokens until their expiry, so a console's every request is not a signature check */
  private readonly verified = new Map<string, { actor: Actor; expiresAtMs: number }>();

  constructor(
    readonly tokens: TokenVerifierOptions,
    readonly settings: AuthSettings,
  ) {
    this.oidc = settings.oidc ? new OidcVerifier(settings.oidc, tokens) : null;
  }

  /** The caller a token names; InvalidToken for anything not accepted. */
  async actorOf(token: string): Promise<Actor> {
    return (await this.verify(token)).actor;
  }

  /** The caller and when the token ends (seconds since the epoch). */
  async verify(token: string): Promise<{ actor: Actor; exp: number }> {
    // Without OIDC every token is HS256's to judge, without reading its header twice.
    if (!this.oidc) return verifiedToken(token, this.tokens);
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new InvalidToken('jwt malformed');
    }
    if (alg === 'HS256') return verifiedToken(token, this.tokens);
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAtMs) return { actor: known.actor, exp: known.expiresAtMs / 1000 };
    const result = await this.oidc.verify(token);
    if (this.verified.size >= OIDC_CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, { actor: result.actor, expiresAtMs: result.exp * 1000 });
    return result;
  }

  /** A request's caller: null without credentials, else the actor (and its token's end) or why it was refused. */
  async fromHeaders(headers: IncomingHttpHeaders): Promise<RequestCaller> {
    const credentials = credentialsOf(headers, this.settings.session);
    if (!credentials) return { actor: null, authError: null, via: null, exp: 0 };
    // A cookie rides along with whatever a page asks for; a page of another origin must not use it.
    if (credentials.via === 'cookie' && !this.originAllowed(headers))
      return { actor: null, authError: 'session cookie sent from another origin', via: 'cookie', exp: 0 };
    try {
      const { actor, exp } = await this.verify(credentials.token);
      return { actor, authError: null, via: credentials.via, exp };
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error;
      return { actor: null, authError: error.message, via: credentials.via, exp: 0 };
    }
  }

  /**
   * Whether the page behind a browser's request may act with the session: no Origin (not a browser, or a
   * same-origin GET), the API's own origin, or one of AUTH_CONSOLE_ORIGINS. WebSockets have no CORS, so
   * this is what stops another site's page from opening a subscription with the user's cookie.
   */
  originAllowed(headers: IncomingHttpHeaders): boolean {
    const origin = headers.origin;
    if (origin === undefined) return true;
    if (this.settings.consoleOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === headers.host;
    } catch {
      return false; // "null" (a sandboxed frame, a file) and anything unparsable
    }
  }

  /** The subject of a token already verified (the rate limiter keys users by it without verifying). */
  knownSubject(headers: IncomingHttpHeaders): string | undefined {
    const credentials = credentialsOf(headers, this.settings.session);
    if (!credentials) return undefined;
    const known = this.verified.get(credentials.token);
    if (known) return known.actor.id;
    try {
      return verifiedToken(credentials.token, this.tokens).actor.id;
    } catch {
      return undefined;
    }
  }
}

import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '@app/domain';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { callerOf, refuse } from '../http/http-auth';
import { Authenticator } from './authenticator';
import { DEMO_IDENTITIES } from './demo-identities';
import { InvalidToken, signToken } from './tokens';

const JSON_BODY = /^application\/json\b/i;

/** The actor as the console shows it: no more than the token said. */
const actorJson = (actor: Actor) => ({
  id: actor.id,
  role: actor.role,
  department: actor.department ?? null,
  district: actor.district ?? null,
});

/**
 * The console's sign-in (docs/sign-in.md). The browser never keeps a token: it posts one (from its own
 * OIDC code exchange with PKCE) or picks a demo identity, and gets an HttpOnly, SameSite=Strict cookie
 * holding a token this API signed, which GraphQL, subscriptions and downloads accept like a bearer header.
 */
@Controller('auth')
export class SessionController {
  constructor(
    private readonly authenticator: Authenticator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What the console needs to offer sign-in; public, as the sign-in page has no session yet. */
  @Get('config')
  async signInConfig() {
    const { oidc } = this.authenticator;
    let endpoints = null;
    if (oidc) {
      try {
        endpoints = await oidc.endpoints();
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
        throw refuse(HttpStatus.SERVICE_UNAVAILABLE, 'UNAVAILABLE', 'the identity provider does not answer');
      }
    }
    return {
      methods: { oidc: oidc !== null, demo: this.config.auth.demoSignIn },
      oidc:
        oidc && endpoints
          ? {
              issuer: oidc.settings.issuer,
              clientId: oidc.settings.clientId,
              scopes: oidc.settings.scopes,
              redirectPath: oidc.settings.redirectPath,
              ...endpoints,
            }
          : null,
      sessionPath: '/auth/session',
    };
  }

  /** The demo identities, outside production only; elsewhere the route does not exist (404). */
  @Get('demo-identities')
  demoIdentities(@Req() request: FastifyRequest) {
    this.requireDemo(request);
    return Object.entries(DEMO_IDENTITIES).map(([key, actor]) => ({ key, actor: actorJson(actor) }));
  }

  /** Who the session (or bearer token) is; 401 without one. */
  @Get('session')
  async current(@Req() request: FastifyRequest) {
    return { actor: actorJson(await callerOf(request.headers, this.authenticator)) };
  }

  /**
   * Signs in: `{ "token": "<id or access token>" }` or, outside production, `{ "demoIdentity": "ADMIN" }`.
   * JSON only, from the API's own origin or a console origin: a cross-site form can send neither, so no
   * other site can sign a user in (or into another account).
   */
  @Post('session')
  @HttpCode(HttpStatus.OK)
  async signIn(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() body: unknown,
  ) {
    if (!JSON_BODY.test(request.headers['content-type'] ?? ''))
      throw refuse(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'BAD_REQUEST', 'send application/json');
    if (!this.authenticator.originAllowed(request.headers))
      throw refuse(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'sign-in from another origin');
    const { token, demoIdentity } = (body ?? {}) as { token?: unknown; demoIdentity?: unknown };
    let actor: Actor;
    if (typeof demoIdentity === 'string') {
      this.requireDemo(request);
      const demo = Object.hasOwn(DEMO_IDENTITIES, demoIdentity) ? DEMO_IDENTITIES[demoIdentity] : undefined;
      if (!demo) throw refuse(HttpStatus.BAD_REQUEST, 'BAD_REQUEST', 'unknown demo identity');
      actor = demo;
    } else if (typeof token === 'string' && token !== '') {
      try {
        actor = await this.authenticator.actorOf(token);
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
        throw refuse(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'invalid token');
      }
    } else {
      throw refuse(HttpStatus.BAD_REQUEST, 'BAD_REQUEST', 'send { "token": … } or { "demoIdentity": … }');
    }
    const { session } = this.config.auth;
    const expiresAt = new Date(Date.now() + session.ttlSeconds * 1000);
    reply.header(
      'set-cookie',
      this.cookie(signToken(actor, this.config.tokens, session.ttlSeconds), session.ttlSeconds),
    );
    return { actor: actorJson(actor), expiresAt: expiresAt.toISOString() };
  }

  /** Signs out: the cookie is overwritten with an expired one. Idempotent. */
  @Delete('session')
  @HttpCode(HttpStatus.NO_CONTENT)
  signOut(@Res({ passthrough: true }) reply: FastifyReply): void {
    reply.header('set-cookie', this.cookie('', 0));
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const { cookieName, secure } = this.config.auth.session;
    return [
      `${cookieName}=${encodeURIComponent(value)}`,
      'Path=/',
      `Max-Age=${maxAgeSeconds}`,
      'HttpOnly',
      'SameSite=Strict',
      ...(secure ? ['Secure'] : []),
    ].join('; ');
  }

  /** Off (production): the answer of a route that does not exist, so nothing tells the demo is there. */
  private requireDemo(request: FastifyRequest): void {
    if (!this.config.auth.demoSignIn) throw new NotFoundException(`Cannot ${request.method} ${request.url}`);
  }
}

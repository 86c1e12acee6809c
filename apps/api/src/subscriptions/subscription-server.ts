import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  GraphQLError,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Actor } from '@app/domain';
import { Authenticator } from '../auth/authenticator';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { BODY_LIMIT_BYTES } from '../http/body-and-rate-limits';
import { DOCUMENT_LIMITS, measureDocument } from '../graphql/document-limits';
import { graphQLErrorFormatter } from '../graphql/format-error';
import type { RequestContext } from '../graphql/request-context';

/** The limits of live updates (docs/sign-in.md#subscriptions). */
export const SUBSCRIPTION_LIMITS = {
  /** a client has this long after connecting to send connection_init (then 4408) */
  connectionInitTimeoutMs: 5000,
  /** operations at once on one socket (more: TOO_MANY_SUBSCRIPTIONS) */
  subscriptionsPerConnection: 20,
  /** sockets at once per user, per process (more: closed with 4429) */
  connectionsPerUser: 10,
  /** sockets at once per process, signed in or not (more: the upgrade is answered 503) */
  connections: 5000,
  /** the largest message a client may send, as for an HTTP body (more: closed with 1009) */
  maxMessageBytes: BODY_LIMIT_BYTES,
} as const;

export const GRAPHQL_WS_PATH = '/graphql';

/** graphql-ws's close codes, and ours for a user with too many sockets. */
const CLOSE = { unauthorized: 4401, tooManyConnections: 4429 } as const;

/** What a signed-in socket carries: its caller, whose count it is in, and the timer ending it with its token. */
interface Connection {
  actor: Actor;
  expiry: NodeJS.Timeout;
  /** in each subscription's correlation id, so a socket's work can be followed in the logs */
  id: string;
}

type WsContext = Context<Record<string, unknown> | undefined, Extra>;

const refusal = (code: string, message: string) => new GraphQLError(message, { extensions: { code } });

/** Where an upgrade asks to go: the path without query, matched like Fastify's routes (any case, trailing /). */
const upgradePath = (url: string | undefined) =>
  (url ?? '')
    .split('?')[0]
    .toLowerCase()
    .replace(/(.)\/$/, '$1');

/**
 * GraphQL subscriptions over graphql-ws (the graphql-transport-ws protocol) on /graphql, beside Apollo's
 * HTTP handler on the same path. Wired here rather than through the Nest driver's `subscriptions`
 * option, whose WebSocket server takes no message-size limit and no say over which upgrades it accepts.
 *
 * Sign-in happens in connection_init (`{ authorization: "Bearer …" }`) or by the session cookie on the
 * upgrade, from the API's own origin or a console origin only (WebSockets have no CORS). Only
 * subscription operations are taken: queries and mutations go over HTTP, where the limits and the access
 * log are. Errors are shaped as over HTTP (format-error.ts).
 */
@Injectable()
export class SubscriptionServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private wss: WebSocketServer | null = null;
  private server: Server | null = null;
  private disposable: { dispose(): void | Promise<void> } | null = null;
  private readonly connections = new WeakMap<object, Connection>();
  private readonly perUser = new Map<string, number>();
  private readonly formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly authenticator: Authenticator,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.formatError = graphQLErrorFormatter({ production: config.production });
  }

  /** Sockets a user holds open now (tests check that closing releases the count). */
  connectionsOf(userId: string): number {
    return this.perUser.get(userId) ?? 0;
  }

  onApplicationBootstrap(): void {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: SUBSCRIPTION_LIMITS.maxMessageBytes });
    this.disposable = useServer(
      {
        connectionInitWaitTimeout: SUBSCRIPTION_LIMITS.connectionInitTimeoutMs,
        onConnect: (ctx) => this.connect(ctx),
        onClose: (ctx) => this.release(ctx),
        onSubscribe: (ctx, id, payload) => this.prepare(ctx, id, payload),
        onNext: (_ctx, _id, _payload, _args, result) => ({
          ...result,
          ...(result.errors && { errors: result.errors.map((e) => this.formatError(e.toJSON(), e)) }),
        }),
        onError: (_ctx, _id, _payload, errors) => errors.map((e) => this.formatError(e.toJSON(), e)),
      },
      this.wss,
    );
    this.server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server.on('upgrade', this.upgrade);
    // An upgraded socket still counts as a connection of the HTTP server, whose close waits for every
    // connection to end, and Apollo's drain closes it before any of our shutdown hooks would run: the
    // sockets must go when the server starts closing.
    (this.adapterHost.httpAdapter.getInstance() as FastifyInstance).addHook('preClose', () =>
      this.closeSockets(),
    );
  }

  private readonly upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const wss = this.wss;
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!wss) return refuse('503 Service Unavailable');
    if (upgradePath(request.url) !== GRAPHQL_WS_PATH) return refuse('404 Not Found');
    if (wss.clients.size >= SUBSCRIPTION_LIMITS.connections) return refuse('503 Service Unavailable');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };

  /** connection_init: the caller from its params, else the upgrade's cookie; false closes with 4403. */
  private async connect(ctx: WsContext): Promise<boolean> {
    const { socket, request } = ctx.extra;
    const params = ctx.connectionParams ?? {};
    const given = typeof params.authorization === 'string' ? params.authorization : undefined;
    // Params name the token explicitly; without them the upgrade's own headers (cookie, origin) decide.
    const headers: IncomingHttpHeaders = given ? { authorization: given } : request.headers;
    const { actor, exp } = await this.authenticator.fromHeaders(headers);
    if (!actor) return false;
    const count = this.perUser.get(actor.id) ?? 0;
    if (count >= SUBSCRIPTION_LIMITS.connectionsPerUser) {
      socket.close(CLOSE.tooManyConnections, 'Too many connections for this user');
      return false;
    }
    this.perUser.set(actor.id, count + 1);
    // A socket lives no longer than the token it was opened with: then the client signs in again.
    const expiry = setTimeout(
      () => socket.close(CLOSE.unauthorized, 'Token expired'),
      Math.max(0, exp * 1000 - Date.now()),
    ).unref();
    this.connections.set(ctx, { actor, expiry, id: randomUUID() });
    return true;
  }

  private release(ctx: WsContext): void {
    const connection = this.connections.get(ctx);
    if (!connection) return;
    this.connections.delete(ctx);
    clearTimeout(connection.expiry);
    const count = (this.perUser.get(connection.actor.id) ?? 1) - 1;
    if (count > 0) this.perUser.set(connection.actor.id, count);
    else this.perUser.delete(connection.actor.id);
  }

  /** subscribe: checked as HTTP checks a document, then only a subscription, within the per-socket cap. */
  private prepare(
    ctx: WsContext,
    id: string,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ) {
    const connection = this.connections.get(ctx);
    if (!connection) return [refusal('UNAUTHENTICATED', 'authentication required')];
    if (Object.keys(ctx.subscriptions).length > SUBSCRIPTION_LIMITS.subscriptionsPerConnection)
      return [
        refusal(
          'TOO_MANY_SUBSCRIPTIONS',
          `at most ${SUBSCRIPTION_LIMITS.subscriptionsPerConnection} subscriptions per connection`,
        ),
      ];
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: DOCUMENT_LIMITS.maxTokens });
    } catch (error) {
      return [refusal('GRAPHQL_PARSE_FAILED', (error as Error).message)];
    }
    const measured = measureDocument(document, DOCUMENT_LIMITS);
    if (measured.refusal) return [refusal(measured.refusal.code, measured.refusal.message)];
    // The GraphQL module's own schema (it keeps its host to itself: found, not injected).
    const schema = this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema;
    let errors: readonly GraphQLError[];
    try {
      errors = validate(schema, document, undefined, { maxErrors: DOCUMENT_LIMITS.maxValidationErrors });
    } catch (error) {
      // graphql-js's single-root-field rule throws on `@skip(if: $v)` at a subscription's root.
      return [refusal('GRAPHQL_VALIDATION_FAILED', (error as Error).message)];
    }
    if (errors.length > 0) return errors.map((error) => refusal('GRAPHQL_VALIDATION_FAILED', error.message));
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) return [refusal('GRAPHQL_VALIDATION_FAILED', 'no operation to run')];
    if (operation.operation !== 'subscription')
      return [
        refusal(
          'OPERATION_NOT_SUPPORTED',
          `${operation.operation} operations go over HTTP; use a subscription`,
        ),
      ];
    const contextValue: RequestContext = {
      actor: connection.actor,
      authError: null,
      correlationId: `ws-${connection.id}-${id}`,
    };
    return {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue,
    };
  }

  /**
   * Every socket closed with 1001 (their subscriptions end, releasing their listeners), cut after a
   * second if a client does not answer the close; no new upgrade is taken. Idempotent.
   */
  private async closeSockets(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    this.wss = null;
    this.server?.off('upgrade', this.upgrade);
    const cut = setTimeout(() => wss.clients.forEach((client) => client.terminate()), 1000).unref();
    await this.disposable?.dispose();
    clearTimeout(cut);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.closeSockets();
  }
}

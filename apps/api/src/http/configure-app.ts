import { networkInterfaces } from 'node:os';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { QueueBoard } from '../admin/queue-board';
import { consolePolicy, serveConsole } from '../console/serve-console';
import { registerGraphiql } from '../graphql/graphiql';
import { Authenticator } from '../auth/authenticator';
import { HEALTH_PATHS } from '../health/health.controller';
import { BODY_LIMIT_BYTES, jsonBodies, rateLimit } from './body-and-rate-limits';
import { HTTP_LOGGER, correlationIdOf, requestLogging, type LoggedRequest } from './request-logging';

/**
 * The HTTP server: Fastify, for the service and the end-to-end tests alike.
 *
 * - Each request's id is its correlation id (the caller's `x-correlation-id` if sane, else a new one):
 *   `request.id` and the raw request's `id` are the same value, read by the GraphQL context, the
 *   catch-all filter and the access line.
 * - Routes match as they did on Express: with or without a trailing slash (`/health/`) and in any
 *   letter case (`/GraphQL`; parameters keep theirs), and a path parameter (an evaluation id) is not cut
 *   at Fastify's default of 100 characters.
 * - No body parsing by Nest: `jsonBodies` installs the one JSON reader (see body-and-rate-limits.ts).
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    genReqId: (req: LoggedRequest) => (req.id = correlationIdOf(req)),
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 16 * 1024 },
  });
}

/**
 * Where the service listens: every address, IPv6 and IPv4 (`::`, dual stack) where the machine has IPv6,
 * else every IPv4 address — what Node's own default was on Express. (Fastify's default is localhost only.)
 */
export function listenHost(): string {
  const ipv6 = Object.values(networkInterfaces()).some((addresses) =>
    addresses?.some((address) => address.family === 'IPv6'),
  );
  return ipv6 ? '::' : '0.0.0.0';
}

const GRAPHQL_PATH = '/graphql';

const pathOf = (url: string) => {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
};

/** HTTP concerns shared by the service and the end-to-end tests, so tests run exactly what ships. */
export function configureApp(app: NestFastifyApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // First, so every request has its correlation id and access line, refusals by the limits included.
  const logRequest = requestLogging(app.get(HTTP_LOGGER));
  fastify.addHook('onRequest', (request, reply, done) => logRequest(request.raw, reply.raw, done));
  // The board reads its own request bodies and loads many assets per page: before the API's limits.
  const board = app.get(QueueBoard);
  board.register(fastify);
  // Health probes share addresses (a load balancer, a NAT) with clients: a probe told 429 would take a
  // healthy instance out of rotation, so /health and /health/live are never limited.
  const authenticator = app.get(Authenticator);
  // Users by the subject of their header token or session cookie, so a whole office behind one address
  // does not share one window; an OIDC token counts as its user once GraphQL has verified it.
  const limit = rateLimit(config.rateLimitPerMinute, (headers) => authenticator.knownSubject(headers));
  fastify.addHook('onRequest', (request, reply, done) => {
    const exempt = HEALTH_PATHS.has(pathOf(request.url)) || board.serves(request.url);
    return exempt ? done() : limit(request, reply, done);
  });
  jsonBodies(fastify);
  // The page exchanges the OIDC code at the provider's token endpoint: its origin joins 'self'.
  const provider = config.auth.oidc ? [new URL(config.auth.oidc.issuer).origin] : [];
  serveConsole(fastify, config.consoleDir, consolePolicy(provider));
  if (config.graphiql) registerGraphiql(fastify, (message) => app.get(Logger).warn(message, 'GraphiQL'));
  // Apollo answers every method at its path, as it did on Express (CSRF prevention, then 405 for what is
  // neither GET nor POST); Nest registers its route for GET, POST and OPTIONS only.
  fastify.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (route.url === GRAPHQL_PATH && methods.includes('POST'))
      route.method = [...new Set([...methods, 'PUT', 'PATCH', 'DELETE'])];
  });
}

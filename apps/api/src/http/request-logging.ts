import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { TRACE_HEADER, traceOfRequest } from '../tracing';

export const CORRELATION_HEADER = 'x-correlation-id';
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/**
 * A caller's correlation id is kept (if sane) so their logs and our events line up; otherwise a new one.
 * Fastify's id of the request (`genReqId`), so `request.id` is the correlation id everywhere.
 */
export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers[CORRELATION_HEADER];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** The service's one pino logger: JSON lines on stdout at LOG_LEVEL. */
export function rootLogger(config: AppConfig): Logger {
  return pino({ level: config.logLevel });
}

/** Query parameters that carry credentials (the queue board's sign-in link, OAuth-style clients). */
const SECRET_PARAMETERS = new Set(['token', 'access_token']);

/**
 * The URL as logged: every credential parameter's value replaced, however its name was encoded
 * (`%74oken`, `TOKEN`) and however often it appears. The query string is parsed as the server would
 * read it, not matched as text, so an encoding cannot slip past.
 */
export function redactedUrl(url: string | undefined): string | undefined {
  const mark = url?.indexOf('?') ?? -1;
  if (url === undefined || mark < 0) return url;
  const parameters = new URLSearchParams(url.slice(mark + 1));
  let secret = false;
  for (const name of parameters.keys()) if (SECRET_PARAMETERS.has(name.toLowerCase())) secret = true;
  if (!secret) return url;
  const kept = [...parameters].map(([name, value]): [string, string] =>
    SECRET_PARAMETERS.has(name.toLowerCase()) ? [name, '[redacted]'] : [name, value],
  );
  return `${url.slice(0, mark)}?${new URLSearchParams(kept).toString().replace(/%5Bredacted%5D/g, '[redacted]')}`;
}

/**
 * What the GraphQL layer learned about a request, for its access line: the operation and how many
 * errors of each client code it answered. Filled in by the GraphQL module, read when the answer is sent.
 */
export interface GraphqlOutcome {
  operationName?: string;
  errors?: Record<string, number>;
}

/** Codes that say who the caller is or may not be: worth a warning (probing, expired sessions). */
const AUTH_FAILURES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

export type LoggedRequest = IncomingMessage & { id?: unknown; graphql?: GraphqlOutcome };

function levelOf(statusCode: number, cutOff: boolean, graphql: GraphqlOutcome | undefined) {
  if (statusCode >= 500) return 'error';
  if (cutOff || statusCode === 401 || statusCode === 403) return 'warn';
  if (graphql?.errors && Object.keys(graphql.errors).some((code) => AUTH_FAILURES.has(code))) return 'warn';
  return 'info';
}

/**
 * The first hook of every request (on the raw request and response): gives it its correlation id (the
 * one Fastify gave it, else from the request header; response header, `req.id` for the GraphQL context
 * and the events' metadata) and exactly one access line when it ends,
 * refusals by the body and rate limits included. A client error is that line and nothing more: info,
 * or warn for an authentication or authorisation failure and for a client that hung up first, with the
 * GraphQL operation and its error codes; no stack. Only a 5xx is at error level (the unexpected error
 * itself is logged in full, with this id, where it is caught). Requests are logged by method and URL
 * (credentials redacted): headers, with their tokens, never reach the logs.
 *
 * Deliberately small: pino-http built two child loggers per request whether or not anything was logged
 * (≈ 8 % of a query's CPU), and nothing here needs a request-scoped logger — the few lines written for a
 * request name their `correlationId` themselves.
 */
export function requestLogging(logger: Logger) {
  return (req: LoggedRequest, res: ServerResponse, next: () => void): void => {
    const started = Date.now();
    const { method, url } = req;
    const id = typeof req.id === 'string' ? req.id : (req.id = correlationIdOf(req));
    res.setHeader(CORRELATION_HEADER, id);
    // With tracing on: the request's span carries the correlation id, the response and the line the trace.
    const traceId = traceOfRequest(id);
    if (traceId) res.setHeader(TRACE_HEADER, traceId);
    res.on('close', () => {
      // A client that hangs up before its answer is sent is worth a warning, not an alarm.
      const cutOff = !res.writableFinished;
      const level = levelOf(res.statusCode, cutOff, req.graphql);
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          correlationId: id,
          ...(traceId ? { traceId } : {}),
          req: { method, url: redactedUrl(url) },
          res: { statusCode: res.statusCode },
          ...(req.graphql ? { graphql: req.graphql } : {}),
          responseTime: Date.now() - started,
        },
        level === 'error' ? 'request errored' : cutOff ? 'request aborted' : 'request completed',
      );
    });
    next();
  };
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';

export const CORRELATION_HEADER = 'x-correlation-id';
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/** A caller's correlation id is kept (if sane) so their logs and our events line up; otherwise a new one. */
function correlationId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
  res.setHeader(CORRELATION_HEADER, id);
  return id;
}

/** The service's one pino logger: JSON lines on stdout at LOG_LEVEL. */
export function rootLogger(config: AppConfig): Logger {
  return pino({ level: config.logLevel });
}

/** The queue board's one-time sign-in link carries a token: never written to the logs. */
const redacted = (url: string | undefined) => url?.replace(/([?&]token=)[^&]*/, '$1[redacted]');

/**
 * The first middleware of every request: gives it its correlation id (request header, response header,
 * `req.id` for the GraphQL context and the events' metadata) and one access line when it ends — info,
 * warn when the client hung up first, error for a 5xx — refusals by the body and rate limits included.
 * Requests are logged by method and URL only: headers, with their tokens, never reach the logs.
 *
 * Deliberately small: pino-http built two child loggers per request whether or not anything was logged
 * (≈ 8 % of a query's CPU), and nothing here needs a request-scoped logger — the few lines written for a
 * request name their `correlationId` themselves.
 */
export function requestLogging(logger: Logger) {
  return (req: IncomingMessage & { id?: unknown }, res: ServerResponse, next: () => void): void => {
    const started = Date.now();
    const { method, url } = req;
    const id = (req.id = correlationId(req, res));
    res.on('close', () => {
      // A client that hangs up before its answer is sent is worth a warning, not an alarm.
      const cutOff = !res.writableFinished;
      const level = res.statusCode >= 500 ? 'error' : cutOff ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          correlationId: id,
          req: { method, url: redacted(url) },
          res: { statusCode: res.statusCode },
          responseTime: Date.now() - started,
        },
        level === 'error' ? 'request errored' : cutOff ? 'request aborted' : 'request completed',
      );
    });
    next();
  };
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { stdSerializers, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
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

/**
 * The first middleware of every request: gives it its correlation id (request header, response header,
 * `correlationId` on every log line written for it) and, at info level, one access line when it ends —
 * refusals by the body and rate limits included. Requests are logged by method and URL only: headers,
 * with their tokens, never reach the logs, nor does the queue board's `?token=` sign-in link.
 */
export function requestLogging(logger: Logger, config: AppConfig) {
  return pinoHttp({
    logger,
    genReqId: correlationId,
    autoLogging: ['trace', 'debug', 'info'].includes(config.logLevel),
    customAttributeKeys: { reqId: 'correlationId' },
    quietReqLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage) => ({
        method: req.method,
        url: req.url?.replace(/([?&]token=)[^&]*/, '$1[redacted]'),
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: stdSerializers.err,
    },
  });
}

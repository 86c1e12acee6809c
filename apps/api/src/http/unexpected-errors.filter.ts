import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bodyRefusal } from './body-and-rate-limits';
import { refuse, sendRefusal } from './http-auth';

/**
 * Every exception that leaves a controller or resolver, installed globally so that Nest's own handler,
 * which writes each one at error level with a stack and without the correlation id, never sees them.
 *
 * - GraphQL: passed on untouched. Apollo formats it (codes, masking) and the GraphQL module logs it:
 *   a client error as part of the request's one access line, an unexpected one in full.
 * - HTTP (the REST downloads, and errors Fastify raises before any route runs, e.g. reading a body):
 *   refusals answered as thrown, a body Fastify could not read as a 413 or 400 refusal (bodyRefusal);
 *   anything else is a 500 in the GraphQL error shape with no details, and the error in full in the log
 *   with the request's correlation id.
 */
@Catch()
export class UnexpectedErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') throw exception;
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    let answer = bodyRefusal(exception) ?? (exception instanceof HttpException ? exception : null);
    if (!answer) {
      const correlationId = http.getRequest<FastifyRequest>().id;
      this.logger.error({ correlationId, err: exception }, 'unexpected error');
      answer = refuse(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
    if (reply.sent || reply.raw.headersSent) reply.raw.destroy();
    else sendRefusal(reply, answer);
  }
}

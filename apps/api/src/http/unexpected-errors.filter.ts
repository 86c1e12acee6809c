import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { refuse, sendRefusal } from './http-auth';

/**
 * Every exception that leaves a controller or resolver, installed globally so that Nest's own handler,
 * which writes each one at error level with a stack and without the correlation id, never sees them.
 *
 * - GraphQL: passed on untouched. Apollo formats it (codes, masking) and the GraphQL module logs it:
 *   a client error as part of the request's one access line, an unexpected one in full.
 * - HTTP (the REST downloads): refusals answered as thrown; anything else is a 500 in the GraphQL error
 *   shape with no details, and the error in full in the log with the request's correlation id.
 */
@Catch()
export class UnexpectedErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') throw exception;
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    let answer = exception instanceof HttpException ? exception : null;
    if (!answer) {
      const correlationId = http.getRequest<Request & { id?: string }>().id;
      this.logger.error({ correlationId, err: exception }, 'unexpected error');
      answer = refuse(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
    if (res.headersSent) res.destroy();
    else sendRefusal(res, answer);
  }
}

import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { refuse, sendRefusal } from './http-auth';

/**
 * For the REST downloads: refusals answered as thrown; anything else is a 500 in the GraphQL error shape
 * with no details, and the error in full in the log with the request's correlation id (Nest's own
 * handler logs it without one).
 */
@Catch()
export class UnexpectedErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
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

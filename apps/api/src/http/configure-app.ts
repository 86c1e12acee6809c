import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { QUEUE_BOARD_PATH, QueueBoard } from '../admin/queue-board';
import { HEALTH_PATHS } from '../health/health.controller';
import { jsonBody, rateLimit } from './body-and-rate-limits';
import { HTTP_LOGGER, requestLogging } from './request-logging';

/** HTTP concerns shared by the service and the end-to-end tests, so tests run exactly what ships. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  // First, so every request has its correlation id and access line, refusals by the limits included.
  app.use(requestLogging(app.get(HTTP_LOGGER)));
  const express = app.getHttpAdapter().getInstance() as { set(name: string, value: unknown): void };
  // Express hashes every response body (SHA-1) for an ETag; GraphQL POST answers are never revalidated.
  express.set('etag', false);
  express.set('x-powered-by', false);
  // The board reads its own request bodies and loads many assets per page: before the API's limits.
  app.use(QUEUE_BOARD_PATH, app.get(QueueBoard).handler());
  // Health probes share addresses (a load balancer, a NAT) with clients: a probe told 429 would take a
  // healthy instance out of rotation, so /health and /health/live are never limited.
  const limit = rateLimit(config.rateLimitPerMinute, config.tokens);
  app.use((req: Request, res: Response, next: NextFunction) =>
    HEALTH_PATHS.has(req.path) ? next() : limit(req, res, next),
  );
  app.use(jsonBody());
}

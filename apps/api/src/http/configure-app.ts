import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { jsonBody, rateLimit } from './body-and-rate-limits';

/** HTTP concerns shared by the service and the end-to-end tests, so tests run exactly what ships. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.use(rateLimit(config.rateLimitPerMinute));
  app.use(jsonBody());
}

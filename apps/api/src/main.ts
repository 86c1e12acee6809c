// First: tracing must be in place before Nest loads `http` (instrument.ts).
import './instrument';
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { configureApp, createHttpAdapter, listenHost } from './http/configure-app';
import { stopTracing } from './tracing';

export async function startApi(config: AppConfig) {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createHttpAdapter(),
    { bodyParser: false, bufferLogs: true },
  );
  configureApp(app, config);
  await app.listen(config.port, listenHost());
  return app;
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await startApi(config);
  console.log(
    `perf-eval API on http://localhost:${config.port}/graphql (data in ${config.dataDir}; liveness: /health/live, readiness: /health)`,
  );
  stopOnSignals(app);
}

/**
 * SIGTERM/SIGINT: stop accepting requests, let those in flight finish, stop the projections, close the
 * stores, exit 0. A shutdown that hangs (a client holding a connection open) is cut after 10 s.
 */
export function stopOnSignals(app: INestApplication, graceMs = 10_000): void {
  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal} received: shutting down`);
    setTimeout(() => {
      console.error(`shutdown did not finish within ${graceMs} ms; exiting`);
      process.exit(1);
    }, graceMs).unref();
    app
      .close()
      .then(() => stopTracing()) // the spans still buffered are sent before the process ends
      .then(
        () => {
          console.log('perf-eval API stopped');
          process.exit(0);
        },
        (error) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) void main();

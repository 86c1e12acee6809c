import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create(AppModule.forRoot(config));
  // SIGTERM/SIGINT close the HTTP server, stop the projections and close the stores in order.
  app.enableShutdownHooks();
  await app.listen(config.port);
  console.log(
    `perf-eval API on http://localhost:${config.port} (data in ${config.dataDir}; health: /health)`,
  );
}

void bootstrap();

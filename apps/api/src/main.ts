import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { configureApp } from './http/configure-app';

export async function startApi(config: AppConfig) {
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, bufferLogs: true });
  configureApp(app, config);
  await app.listen(config.port);
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
  await startApi(config);
  console.log(
    `perf-eval API on http://localhost:${config.port}/graphql (data in ${config.dataDir}; health: /health)`,
  );
}

if (require.main === module) void main();

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { evictionPolicyWarning } from './redis-policy';
import { startHeartbeat } from './heartbeat';
import { WorkerModule } from './worker.module';
import { WorkerConfigError, loadWorkerConfig, type WorkerConfig } from './worker-config';

/**
 * The background worker: deadline reminders now, district reports next. A separate process from the
 * API, on the same DATA_DIR in embedded mode.
 */
async function main(): Promise<void> {
  let config: WorkerConfig;
  try {
    config = loadWorkerConfig();
  } catch (error) {
    if (error instanceof WorkerConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const warning = await evictionPolicyWarning(config.redisUrl);
  if (warning) console.warn(`warning: ${warning}`);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  console.log(`perf-eval worker started (queues under "${config.queuePrefix}", data in ${config.dataDir})`);
  const stopHeartbeat = config.heartbeatFile ? startHeartbeat(config.heartbeatFile) : () => undefined;
  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal} received: letting running jobs finish`);
    stopHeartbeat();
    setTimeout(() => process.exit(1), 30_000).unref();
    app.close().then(
      () => {
        console.log('perf-eval worker stopped');
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();

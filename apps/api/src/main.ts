import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // Lets SIGTERM close the HTTP server and modules cleanly (in-flight requests finish first).
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  console.log(`perf-eval API listening on http://localhost:${port} (health: /health)`);
}

void bootstrap();

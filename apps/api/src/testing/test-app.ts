import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import type { Actor } from '@app/domain';
import { AppModule } from '../app.module';
import { DEVELOPMENT_JWT_SECRET, type AppConfig } from '../config/app-config';
import { configureApp, createHttpAdapter } from '../http/configure-app';
import { signToken, tokenVerifier } from '../auth/tokens';
import { defaultAuthSettings } from '../auth/auth-config';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** POST /graphql as this actor (or anonymously) */
  gql(query: string, variables?: Record<string, unknown>, actor?: Actor | null): request.Test;
  token(actor: Actor): string;
  close(): Promise<void>;
}

/** The real application over real HTTP, on a fresh temp DATA_DIR removed afterwards. */
export async function startTestApp(overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const data = tempDataDir('perf-eval-api-');
  const config: AppConfig = {
    port: 0,
    dataDir: data.dir,
    eventStoreUrl: undefined,
    redisUrl: 'redis://127.0.0.1:6379/15',
    queuePrefix: `api-test-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    jwtSecret: DEVELOPMENT_JWT_SECRET,
    production: false,
    rateLimitPerMinute: 0,
    readYourWritesTimeoutMs: 5000,
    projectionsOnThread: false,
    logLevel: 'silent',
    schemaFile: false,
    graphqlMaxDepth: 10,
    graphqlMaxComplexity: 5000,
    consoleDir: path.resolve('dist/web'),
    graphiql: !overrides.production,
    ...overrides,
    auth: overrides.auth ?? defaultAuthSettings(overrides.production ?? false),
    // the verifier follows an overridden secret unless the test gives its own
    tokens: overrides.tokens ?? tokenVerifier(overrides.jwtSecret ?? DEVELOPMENT_JWT_SECRET),
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), {
    bodyParser: false,
  });
  configureApp(app, config);
  await app.init();
  // supertest talks to the bare http.Server: Fastify must have loaded its routes and plugins first.
  await app.getHttpAdapter().getInstance().ready();
  const token = (actor: Actor) => signToken(actor, config.tokens);
  return {
    app,
    config,
    token,
    gql(query, variables = {}, actor = null) {
      const call = request(app.getHttpServer()).post('/graphql').set('content-type', 'application/json');
      if (actor) call.set('authorization', `Bearer ${token(actor)}`);
      return call.send({ query, variables });
    },
    async close() {
      await app.close();
      data.remove();
    },
  };
}

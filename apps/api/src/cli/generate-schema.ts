/**
 * npm run schema:generate   writes schema.graphql from the code-first resolvers
 * npm run schema:check      fails when the committed schema.graphql differs from the code (CI)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { createHttpAdapter } from '../http/configure-app';

async function generate(target: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-eval-schema-'));
  try {
    const config = {
      ...loadConfig({ ...process.env, NODE_ENV: 'development' }),
      dataDir,
      schemaFile: target,
      logLevel: 'silent',
    };
    const app = await NestFactory.create(AppModule.forRoot(config), createHttpAdapter(), {
      logger: false,
      bodyParser: false,
    });
    await app.init();
    await app.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const committed = path.resolve('schema.graphql');
  if (!process.argv.includes('--check')) {
    await generate(committed);
    console.log(`wrote ${committed}`);
    return;
  }
  const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'perf-eval-schema-')), 'schema.graphql');
  await generate(fresh);
  const same =
    fs.existsSync(committed) && fs.readFileSync(committed, 'utf8') === fs.readFileSync(fresh, 'utf8');
  if (!same) {
    console.error(
      'schema.graphql is out of date with the resolvers: run `npm run schema:generate` and commit it.',
    );
    process.exit(1);
  }
  console.log('schema.graphql matches the code');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

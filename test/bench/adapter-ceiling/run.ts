/**
 * The `{ __typename }` ceiling of a trivial NestJS + Apollo app on Express and on Fastify (what the API
 * uses), 50 connections, alternating, two rounds. Express is no longer a dependency of the project; to run:
 *
 *   npm install --no-save @nestjs/platform-express@12 @as-integrations/express5@1
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register test/bench/adapter-ceiling/run.ts
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '@app/jobs/testing/redis-server';

async function ceiling(adapter: string): Promise<autocannon.Result> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'app.ts'), adapter, String(port)],
    { env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolve) =>
      child.stdout!.on('data', (c: Buffer) => String(c).includes('ready') && resolve()),
    );
    return await new Promise((resolve, reject) =>
      autocannon(
        {
          url: `http://127.0.0.1:${port}/graphql`,
          connections: 50,
          duration: 8,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      ),
    );
  } finally {
    child.kill();
  }
}

async function main(): Promise<void> {
  for (let round = 1; round <= 2; round++) {
    for (const adapter of ['express', 'fastify']) {
      const result = await ceiling(adapter);
      console.log(
        `round ${round} ${adapter.padEnd(8)} ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms`,
      );
    }
  }
}

void main();

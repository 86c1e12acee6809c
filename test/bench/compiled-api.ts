import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePort } from '@app/jobs/testing/redis-server';

const ROOT = path.resolve(__dirname, '../..');

/** The API build as deployed (no TypeScript loader, no source-map rewriting of stack traces). */
export function buildApi(): void {
  execFileSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build', 'api'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

/**
 * The compiled API in its own process, as deployed: production mode (graphql-js skips its development
 * checks), a real secret, logs at warn, no rate limit; resolved once it says it is listening.
 */
export async function startCompiledApi(options: {
  dataDir: string;
  secret: string;
  /** Node flags and preloads before the entry point */
  nodeArgs: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...options.nodeArgs, 'dist/apps/api/apps/api/src/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: options.secret,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('API did not start in 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('perf-eval API on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`API exited with ${code}`)));
  });
  return { child, port };
}

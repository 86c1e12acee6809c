import * as path from 'node:path';

/** DOMAIN.md §10's environment, read once at start; a bad value stops the start with a clear message. */
export interface AppConfig {
  port: number;
  dataDir: string;
  eventStoreUrl: string | undefined;
  /** how long a mutation waits for the read models to show its own write */
  readYourWritesTimeoutMs: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT must be a port number (0-65535), got "${env.PORT}"`);
  const eventStoreUrl = env.EVENTSTORE_URL?.trim() || undefined;
  if (eventStoreUrl && !/^esdb(\+discover)?:\/\//.test(eventStoreUrl)) {
    problems.push(
      `EVENTSTORE_URL must be an esdb:// or esdb+discover:// connection string, got "${eventStoreUrl}"`,
    );
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    port,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    eventStoreUrl,
    readYourWritesTimeoutMs: 5000,
  };
}

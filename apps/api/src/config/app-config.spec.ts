import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from './app-config';

describe('configuration is checked at start', () => {
  it('defaults to the embedded store under ./data with the development secret', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      eventStoreUrl: undefined,
      jwtSecret: DEVELOPMENT_JWT_SECRET,
      rateLimitPerMinute: 600,
      production: false,
    });
    expect(config.dataDir).toMatch(/data$/);
  });

  it('refuses to start in production without AUTH_JWT_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTH_JWT_SECRET must be set when NODE_ENV=production/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'a-real-secret-of-32-characters!!' }).production,
    ).toBe(true);
  });

  it('names every bad value at once', () => {
    let message = '';
    try {
      loadConfig({
        PORT: 'eighty',
        EVENTSTORE_URL: 'http://x',
        REDIS_URL: 'localhost',
        RATE_LIMIT_PER_MINUTE: '-1',
        AUTH_JWT_SECRET: 'short',
        LOG_LEVEL: 'verbose',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of [
      'PORT',
      'EVENTSTORE_URL',
      'REDIS_URL',
      'RATE_LIMIT_PER_MINUTE',
      'AUTH_JWT_SECRET',
      'LOG_LEVEL',
    ])
      expect(message).toContain(name);
  });

  it('accepts an EventStoreDB connection string and turns limiting off with 0', () => {
    expect(
      loadConfig({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false', RATE_LIMIT_PER_MINUTE: '0' }),
    ).toMatchObject({
      eventStoreUrl: 'esdb://localhost:2113?tls=false',
      rateLimitPerMinute: 0,
    });
  });
});

import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

/**
 * The API's view of Redis (used by background jobs). Redis being down must never take the API down:
 * commands fail fast instead of queueing, the client keeps reconnecting in the background, and health
 * reports the state.
 */
@Injectable()
export class RedisHealth implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly client: Redis;
  private lastError: string | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = new Redis(config.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.client.on('error', (error: Error) => {
      if (this.lastError !== error.message) this.logger.warn(`Redis unavailable: ${error.message}`);
      this.lastError = error.message;
    });
    this.client.on('ready', () => {
      if (this.lastError) this.logger.log('Redis is back');
      this.lastError = null;
    });
    this.client.connect().catch(() => undefined);
  }

  /** 'up' or why not, within a short bound (health checks must not hang). */
  async check(timeoutMs = 500): Promise<{ status: 'up' | 'down'; error?: string }> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer in time')), timeoutMs);
    });
    try {
      // Right after start (or a reconnect) the connection may still be opening: give it the same bound.
      let onReady: (() => void) | undefined;
      const ready =
        this.client.status === 'ready'
          ? Promise.resolve()
          : new Promise<void>((resolve) => this.client.once('ready', (onReady = resolve)));
      try {
        await Promise.race([ready.then(() => this.client.ping()), deadline]);
      } finally {
        if (onReady) this.client.off('ready', onReady);
      }
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', error: this.lastError ?? (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.client.disconnect();
  }
}

import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { redisReady } from './redis-ready';
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
    const started = Date.now();
    // Right after start (or a reconnect) the connection may still be opening: give it the same bound.
    if (!(await redisReady(this.client, timeoutMs)))
      return { status: 'down', error: this.lastError ?? 'no answer in time' };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('no answer in time')),
        Math.max(50, timeoutMs - (Date.now() - started)),
      );
    });
    try {
      await Promise.race([this.client.ping(), deadline]);
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

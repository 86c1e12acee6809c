import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { GraphQLError } from 'graphql';
import { REPORTS_QUEUE, redisConnection, reportJobOptions, type DistrictReportJob } from '@app/jobs';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

const REDIS_BOUND_MS = 2000;

/**
 * The API's side of the report queue. Redis being down must not hang a request: each call is bounded
 * and answers UNAVAILABLE, and the queue reconnects by itself.
 */
@Injectable()
export class ReportRequests implements OnApplicationShutdown {
  private readonly logger = new Logger(ReportRequests.name);
  private connected: Queue<DistrictReportJob> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Connected on first use: an API that is never asked for a report never talks to the queue. */
  private get queue(): Queue<DistrictReportJob> {
    if (!this.connected) {
      this.connected = new Queue<DistrictReportJob>(REPORTS_QUEUE, {
        connection: {
          ...redisConnection(this.config.redisUrl),
          enableOfflineQueue: false,
          connectTimeout: 1000,
        },
        prefix: this.config.queuePrefix,
      });
      let last = '';
      this.connected.on('error', (error) => {
        if (error.message !== last) this.logger.warn(`report queue: ${error.message}`);
        last = error.message;
      });
    }
    return this.connected;
  }

  private bounded<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new GraphQLError('the job queue is not reachable right now; try again shortly', {
              extensions: { code: 'UNAVAILABLE' },
            }),
          ),
        REDIS_BOUND_MS,
      );
    });
    return Promise.race([work, deadline])
      .finally(() => clearTimeout(timer))
      .catch((error) => {
        if (error instanceof GraphQLError) throw error;
        throw new GraphQLError('the job queue is not reachable right now; try again shortly', {
          extensions: { code: 'UNAVAILABLE' },
        });
      });
  }

  async request(districtCode: string, year: number): Promise<string> {
    const job = await this.bounded(
      this.queue.add('district', { districtCode, year }, reportJobOptions(districtCode, year)),
    );
    return String(job.id);
  }

  async status(jobId: string): Promise<{
    id: string;
    state: string;
    reportId: string | null;
    failedReason: string | null;
    districtCode: string;
    year: number;
  } | null> {
    const job = await this.bounded(this.queue.getJob(jobId));
    if (!job || job.name !== 'district') return null;
    const state = await this.bounded(job.getState());
    const result = job.returnvalue as { reportId?: string } | null;
    return {
      id: String(job.id),
      state,
      reportId: result?.reportId ?? null,
      failedReason: job.failedReason ?? null,
      districtCode: job.data.districtCode,
      year: job.data.year,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const queue = this.connected;
    if (!queue) return;
    // Closing waits for Redis; a Redis that is away must not hold the shutdown.
    await Promise.race([
      queue.close().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 1000).unref()),
    ]);
    await queue.disconnect().catch(() => undefined);
  }
}

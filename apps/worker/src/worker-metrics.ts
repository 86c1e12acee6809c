import { InjectQueue } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  DELIVERIES_QUEUE,
  MILESTONES_QUEUE,
  REPORTS_QUEUE,
  serveMetrics,
  type MetricsEndpoint,
  collectRuntimeMetrics,
} from '@app/jobs';
import { DeliveryProcessor } from './reminders/delivery.processor';
import { MilestoneProcessor } from './reminders/milestone.processor';
import { ReportsProcessor } from './reports/reports.processor';
import type { WorkerConfig } from './worker-config';
import { WORKER_CONFIG } from './worker.tokens';

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/**
 * The worker's Prometheus metrics, served on METRICS_PORT (the worker has no other port): each queue's
 * jobs by state, read at every scrape; jobs this worker finished by queue and outcome, with how long
 * they ran; Node's runtime.
 */
@Injectable()
export class WorkerMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly registry = new Registry();
  private readonly logger = new Logger(WorkerMetrics.name);
  private endpoint: MetricsEndpoint | null = null;

  readonly jobs = new Histogram({
    name: 'perf_eval_job_seconds',
    help: 'Jobs this worker finished, by queue and outcome (completed, failed), from start to end',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  private readonly scrapeErrors = new Counter({
    name: 'perf_eval_metrics_collect_errors_total',
    help: 'Collectors that failed during a scrape (the rest of the scrape is still served)',
    labelNames: ['collector'] as const,
    registers: [this.registry],
  });

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @InjectQueue(MILESTONES_QUEUE) milestones: Queue,
    @InjectQueue(DELIVERIES_QUEUE) deliveries: Queue,
    @InjectQueue(REPORTS_QUEUE) reports: Queue,
    private readonly milestoneProcessor: MilestoneProcessor,
    private readonly deliveryProcessor: DeliveryProcessor,
    private readonly reportsProcessor: ReportsProcessor,
  ) {
    collectRuntimeMetrics(this.registry);
    const queues = [milestones, deliveries, reports];
    const failed = (collector: string) => this.scrapeErrors.inc({ collector });
    new Gauge({
      name: 'perf_eval_queue_jobs',
      help: 'Jobs in each queue by state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        for (const queue of queues) {
          try {
            const counts = await queue.getJobCounts(...JOB_STATES);
            for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          } catch {
            failed(`queue:${queue.name}`);
          }
        }
      },
    });
  }

  /** The port the metrics are served on, null when off. */
  get port(): number | null {
    return this.endpoint?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const processor of [this.milestoneProcessor, this.deliveryProcessor, this.reportsProcessor]) {
      const { worker } = processor;
      const observe = (job: Job | undefined, outcome: 'completed' | 'failed') => {
        if (!job?.processedOn) return;
        const seconds = Math.max(0, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000);
        this.jobs.observe({ queue: worker.name, outcome }, seconds);
      };
      worker.on('completed', (job) => observe(job, 'completed'));
      worker.on('failed', (job) => observe(job, 'failed'));
    }
    if (this.config.metricsPort === undefined) return;
    this.endpoint = await serveMetrics(
      () => this.registry.metrics(),
      { port: this.config.metricsPort, host: this.config.metricsHost },
      (message) => this.logger.error(message),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.endpoint?.close();
    this.endpoint = null;
  }
}

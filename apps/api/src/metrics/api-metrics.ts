import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  SqliteEventStore,
  projectionLag,
  timedAppends,
  type AppendTiming,
  type EventStore,
  type GroupCommit,
  type ProjectionHost,
} from '@app/event-store';
import { collectRuntimeMetrics } from '@app/jobs';

/** Buckets in seconds: from a cached read (1 ms) to a report (10 s). */
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/** What a refusal or failure is called in the metrics: its stable code, or `error` for the unexpected. */
export function outcomeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'error';
}

/**
 * The API's Prometheus metrics, in a registry of its own (one per app, so tests can run several):
 * GraphQL operations by root field, type and outcome; commands by type and outcome; event-store appends
 * and group commits; how far each read model is behind the log; Node's runtime (the worker serves its queues' metrics itself).
 * Label values come from closed sets (schema fields, command types, error codes), never from clients.
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();

  readonly operations = new Histogram({
    name: 'perf_eval_graphql_operation_seconds',
    help: 'GraphQL operations by root field, operation type and outcome (ok or the first error code)',
    labelNames: ['field', 'type', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly commands = new Histogram({
    name: 'perf_eval_command_seconds',
    help: 'Commands by type and outcome (ok or the refusal code), read to append',
    labelNames: ['command', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly appends = new Histogram({
    name: 'perf_eval_event_store_append_seconds',
    help: 'Appends to the event store, from the call to the answer (group commit queueing included)',
    labelNames: ['outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly groupCommitSize = new Histogram({
    name: 'perf_eval_event_store_group_commit_appends',
    help: 'Appends committed together in one transaction by the embedded store',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });

  readonly groupCommitSeconds = new Histogram({
    name: 'perf_eval_event_store_group_commit_seconds',
    help: 'Time of one group commit of the embedded store (one fsync)',
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly scrapeErrors = new Counter({
    name: 'perf_eval_metrics_collect_errors_total',
    help: 'Collectors that failed during a scrape (the rest of the scrape is still served)',
    labelNames: ['collector'] as const,
    registers: [this.registry],
  });

  private store: EventStore | null = null;
  private runner: ProjectionHost | null = null;

  constructor() {
    collectRuntimeMetrics(this.registry);
    const collectLag = (gauge: Gauge<'projection'>) => this.collectLag(gauge);
    new Gauge({
      name: 'perf_eval_projection_lag_events',
      help: 'Events a read model has yet to apply (embedded store), per read model',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      // prom-client calls collect with the gauge as `this`
      async collect() {
        await collectLag(this);
      },
    });
  }

  /**
   * The store to measure: each append timed (the store returned is the one to use), each group commit of
   * the embedded store observed, and its head the read models' lag is measured against.
   */
  instrument(store: EventStore): EventStore {
    this.store = store;
    if (store instanceof SqliteEventStore) store.observeGroupCommits(this.observeGroupCommit);
    return timedAppends(store, this.observeAppend);
  }

  /** The read models whose lag each scrape reads. */
  watchProjections(runner: ProjectionHost): void {
    this.runner = runner;
  }

  observeAppend = ({ seconds, outcome }: AppendTiming): void => {
    this.appends.observe({ outcome }, seconds);
  };

  observeGroupCommit = ({ appends, seconds }: GroupCommit): void => {
    this.groupCommitSize.observe(appends);
    this.groupCommitSeconds.observe(seconds);
  };

  /** Runs a command, timed under its type and outcome. */
  async command<T>(type: string, run: () => Promise<T>): Promise<T> {
    const end = this.commands.startTimer({ command: type });
    try {
      const result = await run();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: outcomeOf(error) });
      throw error;
    }
  }

  /** The text Prometheus scrapes. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  private async collectLag(gauge: Gauge<'projection'>): Promise<void> {
    if (!this.store || !this.runner) return;
    try {
      const head = await this.store.headPosition();
      for (const status of this.runner.status()) {
        const { lagEvents } = projectionLag(status, head, this.store.kind);
        if (lagEvents !== null) gauge.set({ projection: status.name }, lagEvents);
      }
    } catch {
      this.scrapeErrors.inc({ collector: 'projection-lag' });
    }
  }
}

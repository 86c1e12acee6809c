import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { EventStore } from '../event-store';
import type { EventStoreConfig } from '../open-event-store';
import { positionFromString, type Position } from '../position';
import { SqliteEventStore, type RawEventRow } from '../sqlite/sqlite-event-store';
import { startWorkerThread } from '../worker-thread';
import {
  ProgressWaits,
  type ProjectionHost,
  type ProjectionProgress,
  type ProjectionStatus,
  type WaitForOptions,
} from './projection-host';

/** What the thread is started with: where the log and the read models are, and which projections run. */
export interface ThreadOptions {
  eventStore: EventStoreConfig;
  readModelsFile: string;
  /** a module (as `require` resolves it) and its export: a function that returns the projections */
  projections: { module: string; export: string };
}

export type ThreadRequest = { type: 'appended'; rows: readonly RawEventRow[] } | { type: 'stop' };

interface Progress {
  statuses: ProjectionStatus[];
  live: boolean[];
}
export type ThreadMessage =
  | ({ type: 'started'; projections: Array<{ name: string; streamPrefixes: string[] }> } & Progress)
  | ({ type: 'status' } & Progress)
  | { type: 'failed'; message: string }
  | { type: 'stopped' };

const RESTART_AFTER_MS = 1000;
const STOP_WITHIN_MS = 10_000;

function startThread({ eventStore, readModelsFile, projections }: ThreadOptions): Worker {
  const options: ThreadOptions = { eventStore, readModelsFile, projections };
  return startWorkerThread(path.join(__dirname, 'projection-thread.worker'), options);
}

/**
 * The read models kept on a thread of their own (a ProjectionRunner there, over its own connections):
 * applying events, folding forms and writing read-model rows no longer take turns with requests on the
 * event loop, and use the second core. Appends made here wake the thread's subscriptions at once; the
 * thread reports every checkpoint it reaches, which read-your-writes waits on. A thread that dies is
 * shown in status() and started again from the stored checkpoints.
 */
export class ProjectionThread implements ProjectionHost {
  private thread: Worker | null = null;
  /** as the thread last reported them; the waits read `progress`, derived from them */
  private statuses: ProjectionStatus[] = [];
  private progress: ProjectionProgress[] = [];
  private waits: ProgressWaits | null = null;
  private stopping = false;
  private stopWaking: (() => void) | null = null;

  constructor(
    private readonly options: ThreadOptions & {
      /** the store this process appends through: its commits wake the thread */
      appends: EventStore;
      /** told when the thread fails after it started (it is then started again) */
      onThreadError?: (error: Error) => void;
    },
  ) {}

  async start(): Promise<void> {
    const { appends } = this.options;
    // Appends through another connection reach the thread's subscriptions at their next poll; this
    // process's are told at once. (EventStoreDB pushes appends to every subscriber itself.)
    if (appends instanceof SqliteEventStore)
      this.stopWaking = appends.observeGroupCommits(({ rows }) => {
        // The rows go along: the thread's subscriptions take them from memory, not from the file.
        if (rows.length > 0) this.thread?.postMessage({ type: 'appended', rows } satisfies ThreadRequest);
      });
    try {
      await this.spawn();
    } catch (error) {
      this.stopWaking?.();
      throw error;
    }
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      const thread = startThread(this.options);
      this.thread = thread;
      let started = false;
      thread.on('message', (message: ThreadMessage) => {
        if (message.type === 'started') {
          started = true;
          this.waits ??= new ProgressWaits(
            message.projections,
            () => this.progress,
            () => this.stopping,
          );
          this.update(message);
          resolve();
        } else if (message.type === 'status') {
          this.update(message);
        } else if (message.type === 'failed') {
          reject(new Error(`read models did not start: ${message.message}`));
          void thread.terminate();
        }
      });
      thread.on('error', (error) => (started ? this.options.onThreadError?.(error) : reject(error)));
      thread.on('exit', (code) => {
        if (this.thread !== thread) return;
        this.thread = null;
        if (!started)
          return reject(new Error(`the projection thread exited (code ${code}) before it started`));
        if (this.stopping) return;
        this.restarting(`projection thread exited (code ${code}); starting it again`);
      });
    });
  }

  /** Shown in status (and /health) until a thread runs again, tried once a second. */
  private restarting(reason: string): void {
    this.update({
      statuses: this.statuses.map((s) => ({ ...s, status: 'STARTING', error: reason })),
      live: this.statuses.map(() => false),
    });
    setTimeout(() => {
      if (this.stopping) return;
      this.spawn().catch((error: Error) => {
        if (this.stopping) return;
        this.options.onThreadError?.(error);
        this.restarting(`projection thread did not start again: ${error.message}; trying again`);
      });
    }, RESTART_AFTER_MS).unref();
  }

  private update({ statuses, live }: Progress): void {
    this.statuses = statuses;
    this.progress = statuses.map((s, i) => ({
      checkpoint: s.checkpoint === null ? null : positionFromString(s.checkpoint),
      status: s.status,
      live: live[i],
    }));
    this.waits?.notify();
  }

  /** Called only once start() resolved (the API serves no request before). */
  private started(): ProgressWaits {
    if (!this.waits) throw new Error('the projection thread has not started');
    return this.waits;
  }

  async waitFor(position: Position, options: WaitForOptions): Promise<boolean> {
    return this.started().waitFor(position, options);
  }

  waitUntilLive(timeoutMs: number): Promise<boolean> {
    return this.started().waitUntilLive(timeoutMs);
  }

  status(): ProjectionStatus[] {
    return this.statuses;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopWaking?.();
    this.waits?.notify();
    const thread = this.thread;
    if (!thread) return;
    const exited = new Promise((resolve) => thread.once('exit', resolve));
    thread.postMessage({ type: 'stop' } satisfies ThreadRequest);
    // A thread that does not finish its batch and close its files in time is ended.
    const deadline = setTimeout(() => void thread.terminate(), STOP_WITHIN_MS);
    await exited;
    clearTimeout(deadline);
  }
}

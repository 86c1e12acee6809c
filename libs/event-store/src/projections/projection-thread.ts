import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { EventStore } from '../event-store';
import type { EventStoreConfig } from '../open-event-store';
import { isAtOrAfter, positionFromString, type Position } from '../position';
import { SqliteEventStore, type RawEventRow } from '../sqlite/sqlite-event-store';
import { startWorkerThread } from '../worker-thread';
import {
  concernedBy,
  Waiters,
  type ProjectionHost,
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
  private projections: Array<{ name: string; streamPrefixes: string[] }> = [];
  private statuses: ProjectionStatus[] = [];
  private checkpoints: Array<Position | null> = [];
  private live: boolean[] = [];
  private readonly waiters = new Waiters();
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
          this.projections = message.projections;
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
    this.statuses = this.statuses.map((s) => ({ ...s, status: 'STARTING', error: reason }));
    this.live = this.live.map(() => false);
    this.waiters.notify();
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
    this.checkpoints = statuses.map((s) => (s.checkpoint === null ? null : positionFromString(s.checkpoint)));
    this.live = live;
    this.waiters.notify();
  }

  private stopped = (indexes: number[]) =>
    this.stopping || indexes.some((i) => this.statuses[i]?.status === 'STOPPED');

  async waitFor(position: Position, options: WaitForOptions): Promise<boolean> {
    const concerned = concernedBy(this.projections, options).map((p) => this.projections.indexOf(p));
    return this.waiters.until(
      () =>
        concerned.every((i) => {
          const checkpoint = this.checkpoints[i];
          return checkpoint !== null && checkpoint !== undefined && isAtOrAfter(checkpoint, position);
        }),
      () => this.stopped(concerned),
      options.timeoutMs,
    );
  }

  waitUntilLive(timeoutMs: number): Promise<boolean> {
    const all = this.projections.map((_, i) => i);
    return this.waiters.until(
      () => this.live.length === all.length && this.live.every(Boolean),
      () => this.stopped(all),
      timeoutMs,
    );
  }

  status(): ProjectionStatus[] {
    return this.statuses;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopWaking?.();
    this.waiters.notify();
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

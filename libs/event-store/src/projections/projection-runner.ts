import type { StoredEvent } from '../envelope';
import type { EventStore, Subscription } from '../event-store';
import { comparePositions, positionFromString, positionToString, type Position } from '../position';
import type { SqliteDatabase } from '../sqlite/open-database';
import { physicalTable, type Projection } from './projection';
import { prepared, projectionRow } from './read-model-database';
import { createGeneration, swapInGeneration } from './generations';
import { rebuildProjections } from './rebuild';
import {
  ProgressWaits,
  type ProjectionHost,
  type ProjectionStatus,
  type WaitForOptions,
} from './projection-host';

/** How far a read model is behind the log's head. */
export interface ProjectionLag {
  /** has the log moved past what this read model has seen (events it skips count as seen)? */
  behind: boolean;
  /** how far, in events, where positions count events (the embedded store; EventStoreDB's are bytes) */
  lagEvents: number | null;
}

export function projectionLag(
  status: ProjectionStatus,
  head: Position | null,
  storeKind: EventStore['kind'],
): ProjectionLag {
  const checkpoint = status.checkpoint === null ? null : positionFromString(status.checkpoint);
  return {
    behind: head !== null && (checkpoint === null || comparePositions(head, checkpoint) > 0),
    lagEvents:
      storeKind !== 'sqlite' ? null : head === null ? 0 : Number(head.commit - (checkpoint?.commit ?? 0n)),
  };
}

/** Thrown inside a handler to end the subscription and subscribe again from the stored row. */
class Resubscribe extends Error {}
/** Thrown inside a handler when an event cannot be applied: the projection stops. */
class ProjectionStopped extends Error {}

const MAX_BATCH = 1000;
const STORE_RETRY_MS = 1000;
const STOPPED_RECHECK_MS = 1000;
const SKIP_PERSIST_MS = 1000;

/** Keeps one projection up to date from a catch-up-then-live subscription. */
class ProjectionWorker {
  status: ProjectionStatus['status'] = 'STARTING';
  checkpoint: Position | null = null;
  generation = 0;
  error: string | null = null;
  failedEventId: string | null = null;
  /** has delivered the whole log at least once since it (re)subscribed: live from then on */
  live = false;
  private buffer: StoredEvent[] = [];
  /** the checkpoint as stored: a rebuild or another runner moving it shows as a difference */
  private persisted: string | null = null;
  private persistedAt = 0;
  private subscription: Subscription | null = null;
  private stopping = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly db: SqliteDatabase,
    readonly projection: Projection,
    /** told of every change of checkpoint, status or liveness */
    private readonly changed: () => void,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  private loadRow(): void {
    const row = projectionRow(this.db, this.projection.name);
    if (!row) throw new Error(`projection ${this.projection.name} is not installed`);
    this.generation = row.generation;
    this.checkpoint = row.checkpoint ? positionFromString(row.checkpoint) : null;
    this.persisted = row.checkpoint;
    this.status = row.status === 'STOPPED' ? 'STOPPED' : 'RUNNING';
    this.error = row.error;
    this.failedEventId = row.failed_event_id;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.loadRow();
      if (this.status === 'STOPPED') {
        // Stays stopped at the failed event until an operator rebuilds it (possibly from another process).
        this.notify();
        await new Promise((resolve) => setTimeout(resolve, STOPPED_RECHECK_MS));
        continue;
      }
      this.projection.reset?.();
      this.buffer = [];
      this.live = false;
      this.subscription = this.store.subscribeToAll(
        {
          after: this.checkpoint,
          streamPrefixes: [...this.projection.streamPrefixes],
          onBatchEnd: () => this.commit(),
          onSkipped: (position) => this.skip(position),
          onCaughtUp: () => {
            if (this.buffer.length > 0) return;
            // On going live, and then at most once a second (live mode catches up after every append).
            if (!this.live || Date.now() - this.persistedAt >= SKIP_PERSIST_MS) this.storeSkippedCheckpoint();
            if (this.live) return;
            this.live = true;
            this.notify();
          },
        },
        (event) => {
          this.buffer.push(event);
          if (this.buffer.length >= MAX_BATCH) this.commit();
        },
      );
      try {
        await this.subscription.done;
        return;
      } catch (error) {
        if (error instanceof Resubscribe) continue;
        if (error instanceof ProjectionStopped || this.stopping) return;
        // The store failed (e.g. EventStoreDB unreachable): try again shortly, from the checkpoint.
        this.error = `event store: ${(error as Error).message}`;
        await new Promise((resolve) => setTimeout(resolve, STORE_RETRY_MS));
      }
    }
  }

  private readonly applyInTransaction = (events: StoredEvent[]) =>
    this.db.transaction(() => {
      const row = projectionRow(this.db, this.projection.name);
      // A rebuild swapped in another generation (or another runner moved on): start over from the row.
      if (!row || row.generation !== this.generation || row.checkpoint !== this.persisted)
        throw new Resubscribe();
      this.projection.applyBatch(this.db, (table) => physicalTable(table, this.generation), events);
      const checkpoint = positionToString(events[events.length - 1].position);
      prepared(this.db, 'UPDATE projections SET checkpoint = ?, updated_at = ? WHERE name = ?').run(
        checkpoint,
        new Date().toISOString(),
        this.projection.name,
      );
    })();

  /** Applies the buffered events and moves the checkpoint in one transaction: all or none. */
  private commit(): void {
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    try {
      this.applyInTransaction(events);
      this.advance(events[events.length - 1].position);
    } catch (error) {
      this.projection.reset?.();
      if (error instanceof Resubscribe) throw error;
      this.isolateFailure(events);
    }
  }

  /** Applies one event at a time up to the one that fails, then stops there and records why. */
  private isolateFailure(events: StoredEvent[]): never {
    for (const event of events) {
      try {
        this.applyInTransaction([event]);
        this.advance(event.position);
      } catch (error) {
        this.projection.reset?.();
        if (error instanceof Resubscribe) throw error;
        const message = error instanceof Error ? error.message : String(error);
        this.db
          .prepare(
            `UPDATE projections SET status = 'STOPPED', error = ?, failed_event_id = ?, updated_at = ? WHERE name = ?`,
          )
          .run(message, event.eventId, new Date().toISOString(), this.projection.name);
        this.status = 'STOPPED';
        this.error = message;
        this.failedEventId = event.eventId;
        this.notify();
        throw new ProjectionStopped(message);
      }
    }
    throw new Resubscribe();
  }

  /**
   * Moves past events this projection does not read. Stored when it goes live and then at most once a
   * second (a restart re-reads at most that much); in between, the checkpoint moves in memory only.
   */
  private skip(position: Position): void {
    if (this.buffer.length > 0) return;
    this.checkpoint = position;
    this.notify();
    if (Date.now() - this.persistedAt >= SKIP_PERSIST_MS) this.storeSkippedCheckpoint();
  }

  private storeSkippedCheckpoint(): void {
    const checkpoint = this.checkpoint ? positionToString(this.checkpoint) : null;
    if (checkpoint === this.persisted) return;
    const now = new Date();
    const moved = prepared(
      this.db,
      `UPDATE projections SET checkpoint = ?, updated_at = ?
       WHERE name = ? AND generation = ? AND checkpoint IS ?`,
    ).run(checkpoint, now.toISOString(), this.projection.name, this.generation, this.persisted);
    if (moved.changes === 0) throw new Resubscribe();
    this.persisted = checkpoint;
    this.persistedAt = now.getTime();
  }

  private advance(position: Position): void {
    this.persisted = positionToString(position);
    this.checkpoint = position;
    this.error = null;
    this.notify();
  }

  private notify(): void {
    this.changed();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.notify();
    await this.subscription?.stop();
    await this.loop.catch(() => undefined);
  }

  snapshot(): ProjectionStatus {
    return {
      name: this.projection.name,
      status: this.status,
      generation: this.generation,
      checkpoint: this.checkpoint ? positionToString(this.checkpoint) : null,
      failedEventId: this.failedEventId,
      error: this.error,
    };
  }
}

/**
 * Runs the read models on this thread: installs them on first start, rebuilds one whose version changed
 * (before it goes live, while the old generation keeps serving), then follows the event log.
 */
export class ProjectionRunner implements ProjectionHost {
  private readonly workers: ProjectionWorker[];
  private readonly watchers = new Set<() => void>();
  private readonly waits: ProgressWaits;
  private stopping = false;

  constructor(
    private readonly store: EventStore,
    private readonly db: SqliteDatabase,
    projections: readonly Projection[],
  ) {
    const changed = () => {
      this.waits.notify();
      for (const watcher of this.watchers) watcher();
    };
    this.workers = projections.map((projection) => new ProjectionWorker(store, db, projection, changed));
    // A worker is its own progress (checkpoint, status, live).
    this.waits = new ProgressWaits(
      projections,
      () => this.workers,
      () => this.stopping,
    );
  }

  /** Calls `listener` on every change of a checkpoint, status or liveness; returns how to stop. */
  watch(listener: () => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** The projections run, by name, with the streams each reads. */
  projections(): Array<{ name: string; streamPrefixes: string[] }> {
    return this.workers.map(({ projection }) => ({
      name: projection.name,
      streamPrefixes: [...projection.streamPrefixes],
    }));
  }

  /** Which projections are live (have delivered the whole log once since they subscribed), in order. */
  liveness(): boolean[] {
    return this.workers.map((w) => w.live);
  }

  async start(): Promise<void> {
    const stale: Projection[] = [];
    for (const { projection } of this.workers) {
      const row = projectionRow(this.db, projection.name);
      if (!row) {
        createGeneration(this.db, projection, 1);
        swapInGeneration(this.db, projection, 1, null);
      } else if (row.version !== projection.version) {
        stale.push(projection);
      }
    }
    // Every read model whose version changed, rebuilt in one pass over the log.
    if (stale.length > 0) await rebuildProjections(this.store, this.db, stale);
    for (const worker of this.workers) worker.start();
  }

  /**
   * Read-your-writes: waits (bounded) until the projections named (or, with a stream id, those that read
   * that stream; else all) reached the position. A name this runner does not run is a programming error.
   */
  waitFor(position: Position, options: WaitForOptions): Promise<boolean> {
    return this.waits.waitFor(position, options);
  }

  /**
   * Waits (bounded) until every projection has caught up with the log and gone live: for a process that
   * reads a read model it did not write through (the worker), so a fresh start does not read a half-built
   * one. Live lags the log by at most one poll interval (embedded store, other processes' appends) or the
   * subscription's delivery time (EventStoreDB).
   */
  waitUntilLive(timeoutMs: number): Promise<boolean> {
    return this.waits.waitUntilLive(timeoutMs);
  }

  status(): ProjectionStatus[] {
    return this.workers.map((w) => w.snapshot());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.waits.notify();
    await Promise.all(this.workers.map((w) => w.stop()));
  }
}

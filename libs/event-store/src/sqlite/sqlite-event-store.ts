import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import type { NewEvent, StoredEvent } from '../envelope';
import {
  checkPageSize,
  validateAppend,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type Subscription,
  type SubscriptionOptions,
} from '../event-store';
import { pollingSubscription, type WakeUpSource } from '../polling-subscription';
import { startWorkerThread } from '../worker-thread';
import type { Position } from '../position';
import { EVENT_STORE_MIGRATIONS } from './event-store-schema';
import { migrate } from './migrations';
import { openDatabase, type SqliteDatabase } from './open-database';
import { errorOf, type RawEventRow } from './event-writer';
import type { WriterMessage, WriterOptions, WriterRequest } from './event-writer.worker';

export type { RawEventRow } from './event-writer';

/** An append sent to the writer thread, waiting for its commit. */
interface InFlightAppend {
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface SqliteEventStoreOptions {
  /** path of the SQLite file, e.g. `${DATA_DIR}/events.sqlite` */
  file: string;
  /** how often live subscriptions look for appends made by other processes */
  pollIntervalMs?: number;
  /** most appends committed together in one transaction */
  maxGroupSize?: number;
}

/** One group commit: how many appends shared the transaction, how long it took, and the rows it added. */
export interface GroupCommit {
  appends: number;
  seconds: number;
  rows: readonly RawEventRow[];
}

const COLUMNS =
  'position, event_id, stream_id, revision, type, schema_version, data, metadata, previous_hash, hash';
const raw = <P extends unknown[]>(statement: Statement<P>) =>
  statement.raw(true) as unknown as Statement<P, RawEventRow>;

const toPosition = (position: number): Position => ({ commit: BigInt(position), prepare: BigInt(position) });

function toStored(row: RawEventRow): StoredEvent {
  const [position, eventId, streamId, revision, type, schemaVersion, data, metadata, previousHash, hash] =
    row;
  return {
    eventId,
    streamId,
    revision,
    position: toPosition(position),
    type,
    schemaVersion,
    data: JSON.parse(data),
    metadata: JSON.parse(metadata),
    previousHash,
    hash,
  };
}

/**
 * Stream heads remembered: at most this many, of ids up to KNOWN_HEAD_ID_CHARS long (about 6 MB at worst,
 * 1 MB with real ids); past it they are forgotten and read again.
 */
const KNOWN_HEADS_LIMIT = 10_000;
const KNOWN_HEAD_ID_CHARS = 256;
/** The recent tail: at most this many rows and characters of data (imports are large, edits small). */
const RECENT_TAIL_ROWS = 2_000;
const RECENT_TAIL_CHARS = 4_000_000;

/**
 * The embedded event store: one SQLite file in WAL mode with synchronous FULL, so an acknowledged append
 * is on disk. Appends are written on a thread of their own (event-writer.ts), started on the first
 * append: waiting for the disk holds up no request, and the appends that arrive while one commit waits
 * are committed together (group commit: one fsync for many commands, each still checked on its own).
 * Reads run here, on a connection of their own.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly db: SqliteDatabase;
  private readonly file: string;
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;
  private readonly maxGroupSize: number;
  private writer: Worker | null = null;
  private readonly inFlight = new Map<number, InFlightAppend>();
  private nextAppendId = 1;
  /**
   * Last revision of streams read or written, valid while no other connection commits: SQLite's
   * data_version tells, and is asked at most once per turn of the event loop. Answers the common
   * "anything after revision n?" of a cached state without touching the table.
   */
  private readonly knownHeads = new Map<string, number>();
  private knownDataVersion = -1;
  private headsCheckedThisTurn = false;
  /**
   * The rows last committed through this store (or reported to it by the process that wrote them), in
   * order and without gaps in position: every row at a position in that range, so a live subscription
   * reads what was just appended here instead of querying it back (after each commit every projection
   * asks for it).
   */
  private recentTail: RawEventRow[] = [];
  private recentTailChars = 0;
  private closed = false;
  private readonly statements: {
    forwards: Statement<[string, number, number], RawEventRow>;
    backwards: Statement<[string, number, number], RawEventRow>;
    all: Statement<[number, number], RawEventRow>;
    head: Statement<[], { position: number | null }>;
    dataVersion: Statement<[], number>;
  };

  constructor(options: SqliteEventStoreOptions) {
    this.file = path.resolve(options.file);
    this.db = openDatabase(this.file, { synchronous: 'FULL' });
    migrate(this.db, EVENT_STORE_MIGRATIONS);
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.maxGroupSize = options.maxGroupSize ?? 256;
    this.appended.setMaxListeners(0);
    const db = this.db;
    this.statements = {
      forwards: raw(
        db.prepare(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
        ),
      ),
      backwards: raw(
        db.prepare(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
        ),
      ),
      all: raw(db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`)),
      head: db.prepare('SELECT MAX(position) AS position FROM events'),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    };
  }

  appendToStream(
    streamId: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    try {
      validateAppend(streamId, events);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const id = this.nextAppendId++;
      this.inFlight.set(id, { resolve, reject });
      const writer = this.writer ?? this.startWriter();
      // Held open while an append waits for its answer; let go when none does.
      if (this.inFlight.size === 1) writer.ref();
      writer.postMessage({
        type: 'append',
        id,
        streamId,
        events,
        expected: options.expectedRevision,
      } satisfies WriterRequest);
    });
  }

  private startWriter(): Worker {
    const writer = startWorkerThread(path.join(__dirname, 'event-writer.worker'), {
      file: this.file,
      maxGroupSize: this.maxGroupSize,
    } satisfies WriterOptions);
    writer.on('message', (message: WriterMessage) => {
      if (message.type === 'committed') this.committed(message);
    });
    const failed = (reason: Error) => {
      if (this.writer !== writer) return;
      // The thread died: what it had not answered may or may not be stored; the callers are told so,
      // and the next append starts a new writer.
      this.writer = null;
      for (const [id, request] of this.inFlight) {
        this.inFlight.delete(id);
        request.reject(reason);
      }
    };
    writer.on('error', failed);
    writer.on('exit', (code) => failed(new Error(`the event writer thread exited (code ${code})`)));
    this.writer = writer;
    return writer;
  }

  private committed({ ids, outcomes, seconds }: Extract<WriterMessage, { type: 'committed' }>): void {
    const heads = this.currentHeads();
    const rows: RawEventRow[] = [];
    ids.forEach((id, i) => {
      const request = this.inFlight.get(id);
      this.inFlight.delete(id);
      const outcome = outcomes[i];
      if (outcome.ok) {
        rows.push(...outcome.inserted);
        const streamId = outcome.inserted[0]?.[2];
        if (streamId !== undefined) this.rememberHead(heads, streamId, outcome.nextExpectedRevision);
        request?.resolve({
          nextExpectedRevision: outcome.nextExpectedRevision,
          position: toPosition(outcome.position),
        });
      } else {
        request?.reject(errorOf(outcome.refusal));
      }
    });
    if (this.inFlight.size === 0) this.writer?.unref();
    for (const row of rows) this.addToRecentTail(row);
    if (this.appended.listenerCount('group') > 0)
      this.appended.emit('group', { appends: ids.length, seconds, rows } satisfies GroupCommit);
    if (rows.length > 0) this.appended.emit('appended');
  }

  /**
   * Another connection to the file appended these rows and says so (the API to its projection thread):
   * live subscriptions read them at once, from memory, instead of at their next poll.
   */
  appendedElsewhere(rows: readonly RawEventRow[] = []): void {
    for (const row of rows) this.addToRecentTail(row);
    this.appended.emit('appended');
  }

  /** Calls `listener` after each group commit (for metrics); returns how to stop. */
  observeGroupCommits(listener: (commit: GroupCommit) => void): () => void {
    this.appended.on('group', listener);
    return () => this.appended.off('group', listener);
  }

  async readStream(streamId: string, options: ReadStreamOptions): Promise<StoredEvent[]> {
    checkPageSize(options.maxCount);
    if (options.direction === 'backwards') {
      return this.statements.backwards
        .all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, options.maxCount)
        .map(toStored);
    }
    const from = options.fromRevision ?? 0;
    const heads = this.currentHeads();
    const known = heads.get(streamId);
    if (known !== undefined && from > known) return [];
    const rows = this.statements.forwards.all(streamId, from, options.maxCount);
    // A short page reached the end of the stream.
    if (rows.length < options.maxCount)
      this.rememberHead(heads, streamId, rows.length > 0 ? rows[rows.length - 1][3] : from - 1);
    return rows.map(toStored);
  }

  /**
   * Reads of streams that do not exist are remembered too, and their ids come from requests: unbounded, a
   * process that alone writes the file (so nothing clears the map) would keep one entry per id asked.
   */
  private rememberHead(heads: Map<string, number>, streamId: string, revision: number): void {
    if (streamId.length > KNOWN_HEAD_ID_CHARS) return;
    if (heads.size >= KNOWN_HEADS_LIMIT && !heads.has(streamId)) heads.clear();
    heads.set(streamId, revision);
  }

  private currentHeads(): Map<string, number> {
    if (!this.headsCheckedThisTurn) {
      this.headsCheckedThisTurn = true;
      setImmediate(() => (this.headsCheckedThisTurn = false));
      const version = this.statements.dataVersion.get()!;
      if (version !== this.knownDataVersion) {
        this.knownHeads.clear();
        this.knownDataVersion = version;
      }
    }
    return this.knownHeads;
  }

  /** A committed row joins the tail; a gap in position (another writer's rows) starts a new tail. */
  private addToRecentTail(row: RawEventRow): void {
    const last = this.recentTail[this.recentTail.length - 1];
    if (last && row[0] !== last[0] + 1) {
      this.recentTail = [];
      this.recentTailChars = 0;
    }
    this.recentTail.push(row);
    this.recentTailChars += row[6].length + row[7].length;
    while (
      this.recentTail.length > RECENT_TAIL_ROWS ||
      (this.recentTailChars > RECENT_TAIL_CHARS && this.recentTail.length > 1)
    ) {
      const old = this.recentTail.shift()!;
      this.recentTailChars -= old[6].length + old[7].length;
    }
  }

  /**
   * The rows after `after` when the recent tail has some (undefined: ask the table). The tail holds every
   * row in its range of positions, so what it gives is what the table would; whether anything follows
   * its last row only the table knows (another process may have appended).
   */
  private rowsFromRecentTail(after: number, maxCount: number): RawEventRow[] | undefined {
    const tail = this.recentTail;
    if (tail.length === 0) return undefined;
    const first = tail[0][0];
    const last = tail[tail.length - 1][0];
    if (after < first - 1 || after >= last) return undefined;
    const from = after - first + 1;
    return tail.slice(from, from + maxCount);
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    checkPageSize(options.maxCount);
    const after = options.after ? Number(options.after.commit) : 0;
    return this.statements.all.all(after, options.maxCount).map(toStored);
  }

  subscribeToAll(
    options: SubscriptionOptions,
    handler: (event: StoredEvent) => Promise<void> | void,
  ): Subscription {
    const wakeUps: WakeUpSource = {
      // Each wait takes back its timer and both listeners whichever way it ends.
      wait: (timeoutMs, stop) =>
        new Promise<void>((resolve) => {
          if (stop.aborted) return resolve();
          const done = () => {
            clearTimeout(timer);
            this.appended.off('appended', done);
            stop.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, timeoutMs);
          this.appended.once('appended', done);
          stop.addEventListener('abort', done, { once: true });
        }),
    };
    return pollingSubscription(
      async (after, maxCount, prefixes) => {
        const from = after ? Number(after.commit) : 0;
        const rows = this.rowsFromRecentTail(from, maxCount) ?? this.statements.all.all(from, maxCount);
        if (rows.length === 0) return { events: [], last: null };
        // Filtered on the raw row: events of other streams are never parsed.
        const wanted = prefixes ? rows.filter((row) => prefixes.some((p) => row[2].startsWith(p))) : rows;
        return { events: wanted.map(toStored), last: toPosition(rows[rows.length - 1][0]) };
      },
      wakeUps,
      { ...options, pollIntervalMs: this.pollIntervalMs },
      handler,
    );
  }

  async headPosition(): Promise<Position | null> {
    const { position } = this.statements.head.get() ?? { position: null };
    return position === null ? null : toPosition(position);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  /** Appends already made are committed and answered first; appends after close are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const writer = this.writer;
    if (writer) {
      writer.ref();
      const exited = new Promise((resolve) => writer.once('exit', resolve));
      writer.postMessage({ type: 'close' } satisfies WriterRequest);
      await exited;
    }
    this.db.close();
  }

  /** For fault tests and operators' tooling only: the raw database (e.g. to show that tampering is detected). */
  get database(): SqliteDatabase {
    return this.db;
  }
}

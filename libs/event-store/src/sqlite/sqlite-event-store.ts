import { EventEmitter } from 'node:events';
import type { Statement, Transaction } from 'better-sqlite3';
import type { NewEvent, StoredEvent } from '../envelope';
import {
  WrongExpectedRevision,
  checkPageSize,
  repeatedAppend,
  validateAppend,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type Subscription,
  type SubscriptionOptions,
} from '../event-store';
import { GENESIS_HASH, eventHash } from '../hash-chain';
import { pollingSubscription, type WakeUpSource } from '../polling-subscription';
import type { Position } from '../position';
import { EVENT_STORE_MIGRATIONS } from './event-store-schema';
import { migrate } from './migrations';
import { openDatabase, type SqliteDatabase } from './open-database';

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  previous_hash: string;
  hash: string;
}

/** Column order of the events table; reads fetch rows as arrays, which is markedly faster than objects. */
export type RawEventRow = [
  position: number,
  eventId: string,
  streamId: string,
  revision: number,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  previousHash: string,
  hash: string,
];

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

interface PendingAppend {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
  /** the rows this append inserted, as a read would return them (for the recent tail) */
  inserted?: RawEventRow[];
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
 * is on disk. Appends that arrive together are committed together (group commit): one fsync for many
 * commands, each still checked and rolled back on its own through a savepoint.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly db: SqliteDatabase;
  private readonly appended = new EventEmitter();
  private readonly pollIntervalMs: number;
  private readonly maxGroupSize: number;
  private pending: PendingAppend[] = [];
  /**
   * Last revision of streams read or written, valid while no other connection (process) commits:
   * SQLite's data_version tells, and is asked at most once per turn of the event loop. Answers the
   * common "anything after revision n?" of a cached state without touching the table.
   */
  private readonly knownHeads = new Map<string, number>();
  private knownDataVersion = -1;
  /** data_version as read this turn of the event loop (null: not yet read this turn) */
  private dataVersionThisTurn: number | null = null;
  /**
   * The rows last committed through this store (or reported to it by the process that wrote them), in
   * order and without gaps in position: every row at a position in that range, so a live subscription
   * reads what was just appended here instead of querying it back (after each commit every projection
   * asks for it).
   */
  private recentTail: RawEventRow[] = [];
  private recentTailChars = 0;
  /**
   * data_version inside the commit of the tail's last row; while it has not moved, no other connection
   * has committed since, so nothing follows that row in the table (null: the row came from elsewhere).
   */
  private recentTailDataVersion: number | null = null;
  /** Within a group, each append runs in a savepoint (a nested transaction) and rolls back on its own. */
  private readonly inSavepoint: (request: PendingAppend) => AppendResult;
  /** Commits the group; returns data_version as it was inside the transaction. */
  private readonly commitGroup: Transaction<(group: PendingAppend[], outcomes: Outcome[]) => number>;
  private flushScheduled = false;
  private closed = false;
  private readonly statements: {
    streamHead: Statement<[string], { revision: number; last_hash: string }>;
    byEventId: Statement<[string], EventRow>;
    insert: Statement<unknown[]>;
    upsertHead: Statement<[string, number, string]>;
    forwards: Statement<[string, number, number], RawEventRow>;
    backwards: Statement<[string, number, number], RawEventRow>;
    all: Statement<[number, number], RawEventRow>;
    head: Statement<[], { position: number | null }>;
    dataVersion: Statement<[], number>;
  };

  constructor(options: SqliteEventStoreOptions) {
    this.db = openDatabase(options.file, { synchronous: 'FULL' });
    migrate(this.db, EVENT_STORE_MIGRATIONS);
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.maxGroupSize = options.maxGroupSize ?? 256;
    this.appended.setMaxListeners(0);
    const db = this.db;
    this.inSavepoint = db.transaction((request: PendingAppend) => this.appendNow(request));
    this.commitGroup = db.transaction((group: PendingAppend[], outcomes: Outcome[]) => {
      // Read under the write lock, not after COMMIT: no other connection can commit between this and our
      // commit, whereas one committing between COMMIT and a later read would be taken for nothing new.
      const dataVersion = this.statements.dataVersion.get()!;
      // Alone in its commit, an append needs no savepoint: a failure rolls the whole transaction back.
      if (group.length === 1) {
        outcomes.push({ ok: true, result: this.appendNow(group[0]) });
        return dataVersion;
      }
      for (const request of group) {
        try {
          outcomes.push({ ok: true, result: this.inSavepoint(request) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
      return dataVersion;
    });
    this.statements = {
      streamHead: db.prepare('SELECT revision, last_hash FROM streams WHERE stream_id = ?'),
      byEventId: db.prepare('SELECT * FROM events WHERE event_id = ?'),
      insert: db.prepare(
        `INSERT INTO events (event_id, stream_id, revision, type, schema_version, data, metadata, previous_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertHead: db.prepare(
        `INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash`,
      ),
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
    return new Promise((resolve, reject) => {
      this.pending.push({ streamId, events, expected: options.expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Everything appended during this turn of the event loop (all the requests the server read in
        // it) shares one commit: under load one fsync serves many commands; alone, a command waits
        // only for the turn to end.
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Another connection to the file appended these rows and says so (the API to its projection thread):
   * live subscriptions read them at once, from memory, instead of at their next poll.
   */
  appendedElsewhere(rows: readonly RawEventRow[] = []): void {
    for (const row of rows) this.addToRecentTail(row, null);
    this.appended.emit('appended');
  }

  /** Calls `listener` after each group commit (for metrics); returns how to stop. */
  observeGroupCommits(listener: (commit: GroupCommit) => void): () => void {
    this.appended.on('group', listener);
    return () => this.appended.off('group', listener);
  }

  private flush(): void {
    this.flushScheduled = false;
    const group = this.pending.splice(0, this.maxGroupSize);
    if (this.pending.length > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    if (group.length === 0) return;
    const outcomes: Outcome[] = [];
    const started = process.hrtime.bigint();
    let seconds: number;
    let dataVersion: number;
    try {
      dataVersion = this.commitGroup.immediate(group, outcomes);
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
    } catch (error) {
      // The commit failed (disk full, lock timeout), or the lone append was refused: nothing was stored.
      for (const request of group) request.reject(error);
      return;
    }
    const heads = this.currentHeads();
    const rows: RawEventRow[] = [];
    group.forEach((request, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) {
        for (const row of request.inserted ?? []) {
          rows.push(row);
          this.addToRecentTail(row, dataVersion);
        }
        this.rememberHead(heads, request.streamId, outcome.result.nextExpectedRevision);
        request.resolve(outcome.result);
      } else {
        request.reject(outcome.error);
      }
    });
    if (rows.length > 0) this.appended.emit('appended');
    // An observer that throws (metrics, the projection thread's hand-over) must not break appending.
    for (const listener of this.appended.listeners('group'))
      try {
        listener({ appends: group.length, seconds, rows } satisfies GroupCommit);
      } catch {
        // the observer's loss alone
      }
  }

  /** Runs inside the group's transaction; throwing rolls back this append only. */
  private appendNow(request: PendingAppend): AppendResult {
    const { streamId, events, expected } = request;
    validateAppend(streamId, events);
    const repeated = repeatedAppend(
      streamId,
      events,
      events.map((event) => {
        const row = this.statements.byEventId.get(event.eventId);
        return (
          row && {
            streamId: row.stream_id,
            revision: row.revision,
            type: row.type,
            position: toPosition(row.position),
          }
        );
      }),
    );
    if (repeated) return repeated;

    const head = this.statements.streamHead.get(streamId);
    const current = head ? head.revision : -1;
    const matches = expected === 'any' || (expected === 'no_stream' ? current === -1 : expected === current);
    if (!matches) throw new WrongExpectedRevision(streamId, expected, current);

    let previousHash = head ? head.last_hash : GENESIS_HASH;
    let revision = current;
    let position = 0;
    const inserted: RawEventRow[] = [];
    for (const event of events) {
      revision += 1;
      const schemaVersion = event.schemaVersion ?? 1;
      const dataJson = JSON.stringify(event.data);
      const metadataJson = JSON.stringify(event.metadata);
      const hash = eventHash(previousHash, {
        streamId,
        revision,
        eventId: event.eventId,
        type: event.type,
        schemaVersion,
        dataJson,
        metadataJson,
      });
      // The row as a read returns it, its position known once inserted.
      const row: RawEventRow = [
        0,
        event.eventId,
        streamId,
        revision,
        event.type,
        schemaVersion,
        dataJson,
        metadataJson,
        previousHash,
        hash,
      ];
      row[0] = position = Number(this.statements.insert.run(...row.slice(1)).lastInsertRowid);
      inserted.push(row);
      previousHash = hash;
    }
    this.statements.upsertHead.run(streamId, revision, previousHash);
    request.inserted = inserted;
    return { nextExpectedRevision: revision, position: toPosition(position) };
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

  /**
   * SQLite's data_version (it moves when another connection commits), asked at most once per turn. The
   * value kept for the turn can only be older than the file's: another process's rows are then found a
   * poll or a commit later, never missed.
   */
  private dataVersion(): number {
    if (this.dataVersionThisTurn === null) {
      this.dataVersionThisTurn = this.statements.dataVersion.get()!;
      setImmediate(() => (this.dataVersionThisTurn = null));
    }
    return this.dataVersionThisTurn;
  }

  private currentHeads(): Map<string, number> {
    const version = this.dataVersion();
    if (version !== this.knownDataVersion) {
      this.knownHeads.clear();
      this.knownDataVersion = version;
    }
    return this.knownHeads;
  }

  /** A committed row joins the tail; a gap in position (another writer's rows) starts a new tail. */
  private addToRecentTail(row: RawEventRow, dataVersion: number | null): void {
    const last = this.recentTail[this.recentTail.length - 1];
    if (last && row[0] !== last[0] + 1) {
      this.recentTail = [];
      this.recentTailChars = 0;
    }
    this.recentTail.push(row);
    this.recentTailDataVersion = dataVersion;
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
   * row in its range of positions, so what it gives is what the table would. Whether anything follows its
   * last row: nothing while no other connection has committed since that row's commit (data_version has
   * not moved), else only the table knows. Every live subscription asks that after each commit.
   */
  private rowsFromRecentTail(after: number, maxCount: number): RawEventRow[] | undefined {
    const tail = this.recentTail;
    if (tail.length === 0) return undefined;
    const first = tail[0][0];
    const last = tail[tail.length - 1][0];
    if (after === last && this.recentTailDataVersion === this.dataVersion()) return [];
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.pending.length > 0) this.flush();
    this.db.close();
  }

  /**
   * For fault tests and operators' tooling only: the raw database (e.g. to show that tampering is
   * detected). Rows inserted through it are not seen by this store's live subscriptions until its next
   * commit: they neither enter the recent tail nor move data_version, which only other connections do.
   */
  get database(): SqliteDatabase {
    return this.db;
  }
}

import type { Statement, Transaction } from 'better-sqlite3';
import type { NewEvent } from '../envelope';
import { InvalidAppend, WrongExpectedRevision, repeatedAppend, type ExpectedRevision } from '../event-store';
import { GENESIS_HASH, eventHash } from '../hash-chain';
import { openDatabase, type SqliteDatabase } from './open-database';

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

export interface AppendRequest {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
}

/** Why an append was refused, as plain data: it crosses from the writer's thread to the caller's. */
export type AppendRefusal =
  | { kind: 'wrong-expected-revision'; streamId: string; expected: ExpectedRevision; current: number }
  | { kind: 'invalid-append'; message: string }
  | { kind: 'error'; message: string };

/** One append's outcome: its last revision and position, and the rows it inserted (none for a repeat). */
export type AppendOutcome =
  | { ok: true; nextExpectedRevision: number; position: number; inserted: RawEventRow[] }
  | { ok: false; refusal: AppendRefusal };

export function refusalOf(error: unknown): AppendRefusal {
  if (error instanceof WrongExpectedRevision)
    return {
      kind: 'wrong-expected-revision',
      streamId: error.streamId,
      expected: error.expected,
      current: error.currentRevision,
    };
  if (error instanceof InvalidAppend) return { kind: 'invalid-append', message: error.message };
  return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
}

export function errorOf(refusal: AppendRefusal): Error {
  switch (refusal.kind) {
    case 'wrong-expected-revision':
      return new WrongExpectedRevision(refusal.streamId, refusal.expected, refusal.current);
    case 'invalid-append':
      return new InvalidAppend(refusal.message);
    case 'error':
      return new Error(refusal.message);
  }
}

/**
 * The embedded store's writing side: one connection to the SQLite file, synchronous FULL, so a commit
 * is on disk when it returns. Appends given together are committed together (group commit: one fsync
 * for many commands), each still checked and rolled back on its own through a savepoint. It runs on
 * the writer thread (event-writer.worker.ts), where waiting for the disk holds up no request.
 */
export class SqliteEventWriter {
  private readonly db: SqliteDatabase;
  private readonly inSavepoint: (request: AppendRequest) => AppendOutcome;
  private readonly commitGroup: Transaction<(group: AppendRequest[], outcomes: AppendOutcome[]) => void>;
  private readonly statements: {
    streamHead: Statement<[string], { revision: number; last_hash: string }>;
    byEventId: Statement<[string], { stream_id: string; revision: number; type: string; position: number }>;
    insert: Statement<unknown[]>;
    upsertHead: Statement<[string, number, string]>;
  };

  constructor(file: string) {
    this.db = openDatabase(file, { synchronous: 'FULL' });
    const db = this.db;
    this.inSavepoint = db.transaction((request: AppendRequest) => this.appendNow(request));
    this.commitGroup = db.transaction((group: AppendRequest[], outcomes: AppendOutcome[]) => {
      // Alone in its commit, an append needs no savepoint: a failure rolls the whole transaction back.
      if (group.length === 1) {
        outcomes.push(this.appendNow(group[0]));
        return;
      }
      for (const request of group) {
        try {
          outcomes.push(this.inSavepoint(request));
        } catch (error) {
          outcomes.push({ ok: false, refusal: refusalOf(error) });
        }
      }
    });
    this.statements = {
      streamHead: db.prepare('SELECT revision, last_hash FROM streams WHERE stream_id = ?'),
      byEventId: db.prepare('SELECT stream_id, revision, type, position FROM events WHERE event_id = ?'),
      insert: db.prepare(
        `INSERT INTO events (event_id, stream_id, revision, type, schema_version, data, metadata, previous_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertHead: db.prepare(
        `INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash`,
      ),
    };
  }

  /**
   * Commits the group in one transaction. When the commit itself fails (disk full, lock timeout), or the
   * lone append is refused, nothing is stored and every append gets that refusal.
   */
  commit(group: AppendRequest[]): AppendOutcome[] {
    const outcomes: AppendOutcome[] = [];
    try {
      this.commitGroup.immediate(group, outcomes);
      return outcomes;
    } catch (error) {
      const refusal = refusalOf(error);
      return group.map(() => ({ ok: false, refusal }));
    }
  }

  /** Runs inside the group's transaction; throwing rolls back this append only. */
  private appendNow({ streamId, events, expected }: AppendRequest): AppendOutcome {
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
            position: { commit: BigInt(row.position), prepare: BigInt(row.position) },
          }
        );
      }),
    );
    if (repeated)
      return {
        ok: true,
        nextExpectedRevision: repeated.nextExpectedRevision,
        position: Number(repeated.position.commit),
        inserted: [],
      };

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
      const info = this.statements.insert.run(
        event.eventId,
        streamId,
        revision,
        event.type,
        schemaVersion,
        dataJson,
        metadataJson,
        previousHash,
        hash,
      );
      position = Number(info.lastInsertRowid);
      inserted.push([
        position,
        event.eventId,
        streamId,
        revision,
        event.type,
        schemaVersion,
        dataJson,
        metadataJson,
        previousHash,
        hash,
      ]);
      previousHash = hash;
    }
    this.statements.upsertHead.run(streamId, revision, previousHash);
    return { ok: true, nextExpectedRevision: revision, position, inserted };
  }

  close(): void {
    this.db.close();
  }
}

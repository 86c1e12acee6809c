import type { StoredEvent } from '../envelope';
import type { SqliteDatabase } from '../sqlite/open-database';

/** Physical table name of a read-model table in the generation being written. */
export type TableName = (table: string) => string;

/**
 * A read model kept in SQLite. The runner owns transactions and checkpoints; a projection only says
 * which tables it has and how a batch of events changes them. Queries read the tables through views
 * of the plain names, so a rebuilt generation can be swapped in without stopping readers.
 */
export interface Projection {
  readonly name: string;
  /** bump it when the tables or the way events are applied change: the projection rebuilds at start */
  readonly version: number;
  readonly tables: readonly string[];
  readonly streamPrefixes: readonly string[];
  /** DDL for one generation of the tables (and their indexes), using `t(name)` for every name */
  schema(t: TableName): string;
  /** Applies events in order, synchronously, inside the runner's transaction. Throwing rolls the batch back. */
  applyBatch(db: SqliteDatabase, t: TableName, events: readonly StoredEvent[]): void;
  /** Drops what the projection holds in memory between batches (after a rollback or a generation swap). */
  reset?(): void;
}

export const physicalTable = (table: string, generation: number) => `${table}__g${generation}`;

import { migrate } from '../sqlite/migrations';
import type { Statement } from 'better-sqlite3';
import { openDatabase, type SqliteDatabase } from '../sqlite/open-database';

/**
 * The read models' own SQLite file. Synchronous NORMAL is enough: each batch and its checkpoint commit
 * together, so a lost tail after a power cut is simply applied again from the events.
 */
export function openReadModelDatabase(file: string): SqliteDatabase {
  const db = openDatabase(file, { synchronous: 'NORMAL' });
  // Rebuilds write millions of rows into large indexes: keep more of them in memory (64 MB).
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  migrate(db, [
    {
      version: 1,
      description: 'projection checkpoints and status',
      up: `CREATE TABLE projections (
        name TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        generation INTEGER NOT NULL,
        checkpoint TEXT,
        status TEXT NOT NULL,
        error TEXT,
        failed_event_id TEXT,
        updated_at TEXT NOT NULL
      )`,
    },
  ]);
  return db;
}

export interface ProjectionRow {
  name: string;
  version: number;
  generation: number;
  checkpoint: string | null;
  status: 'RUNNING' | 'STOPPED';
  error: string | null;
  failed_event_id: string | null;
  updated_at: string;
}

export function projectionRow(db: SqliteDatabase, name: string): ProjectionRow | undefined {
  return prepared<[string], ProjectionRow>(db, 'SELECT * FROM projections WHERE name = ?').get(name);
}

const statements = new WeakMap<SqliteDatabase, Map<string, Statement>>();
const MAX_STATEMENTS = 500;

/**
 * A statement compiled once per database and SQL text: better-sqlite3 compiles on every prepare, which
 * cost a projection applying small live batches a tenth of its time. Table names carry the generation,
 * so a rebuilt projection simply gets new statements; the cap bounds what old generations leave behind.
 */
export function prepared<P extends unknown[] | object = unknown[], R = unknown>(
  db: SqliteDatabase,
  sql: string,
): Statement<P, R> {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size >= MAX_STATEMENTS) cache.clear();
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement as unknown as Statement<P, R>;
}

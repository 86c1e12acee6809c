import { migrate } from '../sqlite/migrations';
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
  return db.prepare<[string], ProjectionRow>('SELECT * FROM projections WHERE name = ?').get(name);
}

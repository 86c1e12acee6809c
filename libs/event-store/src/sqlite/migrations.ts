import type { SqliteDatabase } from './open-database';

export interface Migration {
  version: number;
  description: string;
  up: string;
}

/**
 * Applies the migrations a database has not seen yet, in order, each in its own write transaction.
 * The version is re-read under the write lock, so two processes starting at once apply each once.
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const current = db.prepare<[], { version: number | null }>(
    'SELECT MAX(version) AS version FROM schema_migrations',
  );
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    db.transaction(() => {
      if ((current.get()?.version ?? 0) >= migration.version) return;
      db.exec(migration.up);
      record.run(migration.version, migration.description, new Date().toISOString());
    }).immediate();
  }
  return current.get()?.version ?? 0;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  /**
   * FULL: a commit is on disk before it is acknowledged (the event store: a confirmed approval survives a
   * power cut). NORMAL: for read models, which are rebuilt from events and keep their checkpoint in the
   * same transaction, so losing the last commits only means applying those events again.
   */
  synchronous: 'FULL' | 'NORMAL';
  /** how long a writer waits for another process's write lock before failing */
  busyTimeoutMs?: number;
}

/** Opens (creating the folder if needed) a SQLite file in WAL mode, safe to share with another process. */
export function openDatabase(file: string, options: OpenOptions): SqliteDatabase {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('foreign_keys = ON');
  return db;
}

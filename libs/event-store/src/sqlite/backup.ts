import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { GENESIS_HASH, linkHolds } from '../hash-chain';

/** A backup or restore refused: the message says why, and nothing was written where it was refused. */
export class BackupRefused extends Error {}

export interface StreamProblem {
  streamId: string;
  /** 1-based version of the first event that does not chain, or the head that does not match */
  version: number;
  reason: string;
}

export interface StoreFileReport {
  ok: boolean;
  streams: number;
  events: number;
  /** the first problems found (at most 20), stream by stream */
  problems: StreamProblem[];
}

const MAX_PROBLEMS = 20;

/** Writes a file's bytes to disk, and its directory entry with it, before it counts as written. */
function fsyncFileAndFolder(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const folder = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(folder);
  } finally {
    fs.closeSync(folder);
  }
}

/**
 * Every stream's hash chain recomputed from the stored bytes, and each stream's head (last revision and
 * hash) compared with its last event, so an event altered, removed, reordered or cut off the end shows;
 * then SQLite's own integrity check. Reads the file only.
 */
export function verifyEventStoreFile(file: string): StoreFileReport {
  if (!fs.existsSync(file)) throw new BackupRefused(`${file} does not exist`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const problems: StreamProblem[] = [];
    const problem = (p: StreamProblem) => problems.length < MAX_PROBLEMS && problems.push(p);
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok')
      problem({ streamId: '', version: 0, reason: `SQLite integrity check: ${integrity}` });

    const heads = db
      .prepare('SELECT stream_id, revision, last_hash FROM streams ORDER BY stream_id')
      .all() as Array<{
      stream_id: string;
      revision: number;
      last_hash: string;
    }>;
    const eventsOf = db.prepare(
      `SELECT revision, event_id, type, schema_version, data, metadata, previous_hash, hash
       FROM events WHERE stream_id = ? ORDER BY revision`,
    );
    let events = 0;
    for (const head of heads) {
      let previousHash = GENESIS_HASH;
      let expected = 0;
      let broken = false;
      for (const row of eventsOf.iterate(head.stream_id) as Iterable<{
        revision: number;
        event_id: string;
        type: string;
        schema_version: number;
        data: string;
        metadata: string;
        previous_hash: string;
        hash: string;
      }>) {
        events += 1;
        if (broken) continue;
        const link = {
          streamId: head.stream_id,
          revision: row.revision,
          eventId: row.event_id,
          type: row.type,
          schemaVersion: row.schema_version,
          dataJson: row.data,
          metadataJson: row.metadata,
          previousHash: row.previous_hash,
          hash: row.hash,
        };
        if (!linkHolds(link, previousHash, expected)) {
          problem({ streamId: head.stream_id, version: expected + 1, reason: 'the event does not chain' });
          broken = true;
          continue;
        }
        previousHash = row.hash;
        expected += 1;
      }
      if (!broken && (head.revision !== expected - 1 || head.last_hash !== previousHash)) {
        problem({
          streamId: head.stream_id,
          version: head.revision + 1,
          reason: `the stream's head names version ${head.revision + 1}, its events end at ${expected}`,
        });
      }
    }
    const orphans = db
      .prepare(
        'SELECT DISTINCT stream_id FROM events WHERE stream_id NOT IN (SELECT stream_id FROM streams) LIMIT 20',
      )
      .all() as Array<{ stream_id: string }>;
    for (const { stream_id } of orphans)
      problem({ streamId: stream_id, version: 1, reason: 'events of a stream the store has no head for' });
    return { ok: problems.length === 0, streams: heads.length, events, problems };
  } finally {
    db.close();
  }
}

export interface BackupResult extends StoreFileReport {
  file: string;
  bytes: number;
}

/**
 * An online, consistent copy of the embedded event store: `VACUUM INTO` reads the whole database in one
 * read transaction, so the copy is the log as it stood at one instant (a prefix of it), while writers go
 * on appending (WAL lets readers and one writer run side by side). The copy is verified before it is
 * given its name; a copy that does not verify is deleted and the backup fails.
 */
export function backupEventStore(eventsFile: string, outFile: string): BackupResult {
  if (!fs.existsSync(eventsFile)) throw new BackupRefused(`no event store at ${eventsFile}`);
  if (fs.existsSync(outFile)) throw new BackupRefused(`${outFile} exists: name a new file`);
  fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
  const partial = `${outFile}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
  const source = new Database(eventsFile, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    source.prepare('VACUUM INTO ?').run(partial);
  } finally {
    source.close();
  }
  try {
    const report = verifyEventStoreFile(partial);
    if (!report.ok) throw new BackupRefused(`the copy does not verify: ${describeProblems(report.problems)}`);
    fsyncFileAndFolder(partial);
    fs.renameSync(partial, outFile);
    fsyncFileAndFolder(outFile);
    return { ...report, file: outFile, bytes: fs.statSync(outFile).size };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

export interface RestoreResult extends StoreFileReport {
  eventsFile: string;
}

/**
 * Puts a verified backup in place as `eventsFile`, for a service that is not running on it. Refused
 * (nothing written) when the backup does not verify, or when an event store is already there and
 * `replace` was not asked for. The read models next to it are removed, so the service rebuilds them from
 * the restored log instead of serving tables of another history.
 */
export function restoreEventStore(
  backupFile: string,
  eventsFile: string,
  readModelFiles: string[],
  options: { replace?: boolean } = {},
): RestoreResult {
  const report = verifyEventStoreFile(backupFile);
  if (!report.ok)
    throw new BackupRefused(`${backupFile} does not verify: ${describeProblems(report.problems)}`);
  if (fs.existsSync(eventsFile) && !options.replace)
    throw new BackupRefused(
      `an event store exists at ${eventsFile}: stop the service and pass --replace, or restore into an empty DATA_DIR`,
    );
  fs.mkdirSync(path.dirname(path.resolve(eventsFile)), { recursive: true });
  const partial = `${eventsFile}.restoring-${process.pid}`;
  fs.copyFileSync(backupFile, partial);
  fsyncFileAndFolder(partial);
  for (const file of [eventsFile, ...readModelFiles])
    for (const suffix of ['-wal', '-shm', '']) fs.rmSync(`${file}${suffix}`, { force: true });
  fs.renameSync(partial, eventsFile);
  fsyncFileAndFolder(eventsFile);
  return { ...report, eventsFile };
}

export function describeProblems(problems: StreamProblem[]): string {
  return problems
    .map((p) => (p.streamId ? `${p.streamId} version ${p.version}: ${p.reason}` : p.reason))
    .join('; ');
}

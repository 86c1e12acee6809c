import type { StoredEvent } from '../envelope';
import type { SqliteDatabase } from '../sqlite/open-database';
import type { Projection, TableName } from '../projections/projection';

/** A read model of rare events (like the registry among millions of form edits). */
export class RareEvents implements Projection {
  readonly name = 'rare';
  readonly version = 1;
  readonly tables = ['rare_events'];
  readonly streamPrefixes = ['rare-'];
  schema(t: TableName) {
    return `CREATE TABLE ${t('rare_events')} (event_id TEXT PRIMARY KEY, type TEXT NOT NULL)`;
  }
  applyBatch(db: SqliteDatabase, t: TableName, events: readonly StoredEvent[]) {
    for (const e of events)
      db.prepare(`INSERT INTO ${t('rare_events')} VALUES (?, ?)`).run(e.eventId, e.type);
  }
}

/** A read model that cannot apply anything (a bug, a full disk): its checkpoint never moves. */
export class Stuck implements Projection {
  readonly name = 'stuck';
  readonly version = 1;
  readonly tables = ['stuck_events'];
  readonly streamPrefixes = ['rare-'];
  schema(t: TableName) {
    return `CREATE TABLE ${t('stuck_events')} (event_id TEXT PRIMARY KEY)`;
  }
  applyBatch(): void {
    throw new Error('cannot apply');
  }
}

/** For a projection thread: the rare-events read model alone. */
export const rareEvents = (): Projection[] => [new RareEvents()];

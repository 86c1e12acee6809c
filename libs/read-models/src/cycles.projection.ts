import {
  prepared,
  type Projection,
  type SqliteDatabase,
  type StoredEvent,
  type TableName,
} from '@app/event-store';
import { evolveCycle, initialCycle, type Cycle, type CycleEvent } from '@app/domain';
import { CYCLE_STREAM_PREFIX } from '@app/application';

/** A cycle as last decided: its state, and when its deadline was last set (opened or moved). */
export interface CycleRow {
  cycle: Extract<Cycle, { status: 'OPEN' }>;
  decidedAt: string;
}

/**
 * Cycles and when each deadline was set: what the worker's scheduler starts from, instead of replaying
 * every cycle event of the log at each start.
 */
export class CyclesProjection implements Projection {
  readonly name = 'cycles';
  readonly version = 1;
  readonly tables = ['cycles'];
  readonly streamPrefixes = [CYCLE_STREAM_PREFIX];

  schema(t: TableName): string {
    return `CREATE TABLE ${t('cycles')} (cycle_id TEXT PRIMARY KEY, state TEXT NOT NULL, decided_at TEXT NOT NULL);`;
  }

  applyBatch(db: SqliteDatabase, t: TableName, events: readonly StoredEvent[]): void {
    const load = prepared<[string], { state: string }>(
      db,
      `SELECT state FROM ${t('cycles')} WHERE cycle_id = ?`,
    );
    const save = prepared(db, `INSERT OR REPLACE INTO ${t('cycles')} VALUES (?, ?, ?)`);
    for (const stored of events) {
      const event = { type: stored.type, data: stored.data } as CycleEvent;
      const cycleId = (event.data as { cycleId: string }).cycleId;
      const row = load.get(cycleId);
      const state = evolveCycle(row ? (JSON.parse(row.state) as Cycle) : initialCycle(), event);
      save.run(cycleId, JSON.stringify(state), stored.metadata.occurredAt);
    }
  }
}

/** The open cycles as the read model has them, with the checkpoint they are current at (one snapshot). */
export function openCyclesAt(db: SqliteDatabase): { cycles: CycleRow[]; checkpoint: string | null } {
  return db.transaction(() => {
    const rows = db.prepare('SELECT state, decided_at FROM cycles').all() as Array<{
      state: string;
      decided_at: string;
    }>;
    const { checkpoint } = db.prepare(`SELECT checkpoint FROM projections WHERE name = 'cycles'`).get() as {
      checkpoint: string | null;
    };
    const cycles = rows
      .map((row) => ({ cycle: JSON.parse(row.state) as Cycle, decidedAt: row.decided_at }))
      .filter((row): row is CycleRow => row.cycle.status === 'OPEN');
    return { cycles, checkpoint };
  })();
}

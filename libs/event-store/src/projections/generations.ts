import type { SqliteDatabase } from '../sqlite/open-database';
import { physicalTable, type Projection } from './projection';

/** Creates empty tables for one generation of a projection (dropping leftovers of an aborted rebuild). */
export function createGeneration(db: SqliteDatabase, projection: Projection, generation: number): void {
  db.transaction(() => {
    for (const table of projection.tables)
      db.exec(`DROP TABLE IF EXISTS ${physicalTable(table, generation)}`);
    db.exec(projection.schema((table) => physicalTable(table, generation)));
  }).immediate();
}

/**
 * Makes a generation the one readers see, with its checkpoint, in one transaction: the views switch,
 * the projection row moves on, the previous generation's tables go.
 */
export function swapInGeneration(
  db: SqliteDatabase,
  projection: Projection,
  generation: number,
  checkpoint: string | null,
): void {
  db.transaction(() => {
    const previous = db
      .prepare<[string], { generation: number }>('SELECT generation FROM projections WHERE name = ?')
      .get(projection.name);
    for (const table of projection.tables) {
      db.exec(`DROP VIEW IF EXISTS ${table}`);
      db.exec(`CREATE VIEW ${table} AS SELECT * FROM ${physicalTable(table, generation)}`);
    }
    db.prepare(
      `INSERT INTO projections (name, version, generation, checkpoint, status, error, failed_event_id, updated_at)
       VALUES (@name, @version, @generation, @checkpoint, 'RUNNING', NULL, NULL, @now)
       ON CONFLICT (name) DO UPDATE SET version = @version, generation = @generation, checkpoint = @checkpoint,
         status = 'RUNNING', error = NULL, failed_event_id = NULL, updated_at = @now`,
    ).run({
      name: projection.name,
      version: projection.version,
      generation,
      checkpoint,
      now: new Date().toISOString(),
    });
    if (previous && previous.generation !== generation) {
      for (const table of projection.tables)
        db.exec(`DROP TABLE IF EXISTS ${physicalTable(table, previous.generation)}`);
    }
  }).immediate();
}

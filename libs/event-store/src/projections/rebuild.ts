import type { StoredEvent } from '../envelope';
import type { EventStore } from '../event-store';
import { positionToString, type Position } from '../position';
import type { SqliteDatabase } from '../sqlite/open-database';
import { physicalTable, type Projection } from './projection';
import { projectionRow } from './read-model-database';
import { createGeneration, swapInGeneration } from './generations';

export interface RebuildResult {
  projection: string;
  generation: number;
  events: number;
  checkpoint: string | null;
  millis: number;
}

const READ_PAGE = 1000;

/**
 * Rebuilds a projection from all events into a fresh generation of its tables, then swaps it in. The
 * service keeps running meanwhile: readers see the old generation until the swap, and a live runner
 * notices the new generation and carries on from its checkpoint.
 */
export async function rebuildProjection(
  store: EventStore,
  db: SqliteDatabase,
  projection: Projection,
  options: { batchSize?: number } = {},
): Promise<RebuildResult> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 10_000;
  const generation = (projectionRow(db, projection.name)?.generation ?? 0) + 1;
  createGeneration(db, projection, generation);
  projection.reset?.();
  const t = (table: string) => physicalTable(table, generation);
  const apply = db.transaction((events: StoredEvent[]) => projection.applyBatch(db, t, events));

  let after: Position | null = null;
  let buffer: StoredEvent[] = [];
  let count = 0;
  // Nothing reads the new generation before the swap, and an interrupted rebuild is simply started
  // again: skip fsyncs while filling it (the swap itself runs with the usual setting).
  const synchronous = db.pragma('synchronous', { simple: true });
  db.pragma('synchronous = OFF');
  try {
    for (;;) {
      const page = await store.readAll({ after, maxCount: READ_PAGE });
      if (page.length === 0) break;
      for (const event of page) {
        if (projection.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix))) buffer.push(event);
      }
      after = page[page.length - 1].position;
      if (buffer.length >= batchSize) {
        apply(buffer);
        count += buffer.length;
        buffer = [];
      }
    }
    if (buffer.length > 0) apply(buffer);
    count += buffer.length;
  } finally {
    db.pragma(`synchronous = ${synchronous}`);
    projection.reset?.();
  }
  const checkpoint = after ? positionToString(after) : null;
  swapInGeneration(db, projection, generation, checkpoint);
  return {
    projection: projection.name,
    generation,
    events: count,
    checkpoint,
    millis: performance.now() - started,
  };
}

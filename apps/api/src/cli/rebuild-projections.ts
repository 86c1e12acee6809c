/**
 * npm run projections:rebuild [-- name ...]
 *
 * Rebuilds read models from all events into fresh tables and swaps them in. Safe while the API runs:
 * readers keep the old tables until the swap, and the running service continues from the new checkpoint.
 */
import * as path from 'node:path';
import { READ_MODELS_FILE, openEventStore, openReadModelDatabase, rebuildProjection } from '@app/event-store';
import { AuditHistoryProjection, EvaluationSummariesProjection } from '@app/evaluations';

async function main(): Promise<void> {
  const dataDir = process.env.DATA_DIR ?? './data';
  const projections = [new EvaluationSummariesProjection(), new AuditHistoryProjection()];
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !projections.some((p) => p.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown projection(s): ${unknown.join(', ')}; known: ${projections.map((p) => p.name).join(', ')}`,
    );
    process.exit(2);
  }
  const store = openEventStore({ eventStoreUrl: process.env.EVENTSTORE_URL, dataDir });
  const db = openReadModelDatabase(path.join(dataDir, READ_MODELS_FILE));
  try {
    for (const projection of projections.filter((p) => wanted.length === 0 || wanted.includes(p.name))) {
      const result = await rebuildProjection(store, db, projection);
      const rate = result.millis > 0 ? Math.round((result.events / result.millis) * 1000) : result.events;
      console.log(
        `${result.projection}: generation ${result.generation}, ${result.events} events in ${Math.round(result.millis)} ms (${rate} events/s), checkpoint ${result.checkpoint ?? 'none'}`,
      );
    }
  } finally {
    db.close();
    await store.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

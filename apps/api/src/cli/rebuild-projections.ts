/**
 * npm run projections:rebuild [-- name ...]
 *
 * Rebuilds read models from all events into fresh tables and swaps them in. Safe while the API runs:
 * readers keep the old tables until the swap, and the running service continues from the new checkpoint.
 */
import * as path from 'node:path';
import { READ_MODELS_FILE, openEventStore, openReadModelDatabase } from '@app/event-store';
import { UnknownProjection, rebuildReadModels } from '../event-store/api-projections';

async function main(): Promise<void> {
  const dataDir = process.env.DATA_DIR ?? './data';
  const store = openEventStore({ eventStoreUrl: process.env.EVENTSTORE_URL, dataDir });
  const db = openReadModelDatabase(path.join(dataDir, READ_MODELS_FILE));
  try {
    for (const result of await rebuildReadModels(store, db, process.argv.slice(2))) {
      const rate = result.millis > 0 ? Math.round((result.events / result.millis) * 1000) : result.events;
      console.log(
        `${result.projection}: generation ${result.generation}, ${result.events} events in ${Math.round(result.millis)} ms (${rate} events/s), checkpoint ${result.checkpoint ?? 'none'}`,
      );
    }
    // What an operator sizes the machine by: resourceUsage reports the peak in KiB.
    console.log(`peak resident memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  } catch (error) {
    if (!(error instanceof UnknownProjection)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  } finally {
    db.close();
    await store.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

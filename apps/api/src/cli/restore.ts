/**
 * npm run restore -- --from FILE [--replace]
 *
 * Verifies every stream's hash chain in the backup and only then puts it in place as DATA_DIR's event
 * store, so the service can never start on a copy that does not verify. Into an empty DATA_DIR, or, with
 * the service stopped, over an existing store with --replace. The read models there are removed and
 * rebuilt from the restored events when the service starts.
 */
import * as path from 'node:path';
import {
  BackupRefused,
  EVENTS_FILE,
  READ_MODELS_FILE,
  WORKER_READ_MODELS_FILE,
  describeProblems,
  restoreEventStore,
} from '@app/event-store';

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

function main(): void {
  const from = argument('--from');
  if (!from) throw new BackupRefused('usage: npm run restore -- --from FILE [--replace]');
  const dataDir = process.env.DATA_DIR ?? './data';
  const result = restoreEventStore(
    from,
    path.join(dataDir, EVENTS_FILE),
    [READ_MODELS_FILE, WORKER_READ_MODELS_FILE].map((file) => path.join(dataDir, file)),
    {
      replace: process.argv.includes('--replace'),
    },
  );
  console.log(
    `restored ${result.events} events in ${result.streams} streams into ${result.eventsFile}, every chain verified; read models will be rebuilt at start`,
  );
  if (result.problems.length > 0) console.error(describeProblems(result.problems));
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(error instanceof BackupRefused ? 2 : 1);
}

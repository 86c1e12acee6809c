/**
 * npm run backup -- --out FILE
 *
 * An online, consistent copy of the embedded event store under DATA_DIR, safe while the API and the
 * worker run and write: the log as it stood at one instant, every stream's hash chain verified before the
 * file gets its name. Read models are not copied: a restore rebuilds them from the events. For the
 * EventStoreDB variant, see the README (its own backup procedure).
 */
import * as path from 'node:path';
import { BackupRefused, EVENTS_FILE, backupEventStore } from '@app/event-store';

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

function main(): void {
  if (process.env.EVENTSTORE_URL)
    throw new BackupRefused('EVENTSTORE_URL is set: back up EventStoreDB with its own procedure (README)');
  const out = argument('--out');
  if (!out) throw new BackupRefused('usage: npm run backup -- --out FILE');
  const dataDir = process.env.DATA_DIR ?? './data';
  const started = Date.now();
  const result = backupEventStore(path.join(dataDir, EVENTS_FILE), out);
  console.log(
    `backup ${result.file}: ${result.events} events in ${result.streams} streams, ${result.bytes} bytes, every chain verified, ${Date.now() - started} ms`,
  );
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(error instanceof BackupRefused ? 2 : 1);
}

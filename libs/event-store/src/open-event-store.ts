import * as path from 'node:path';
import type { EventStore } from './event-store';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface EventStoreConfig {
  /** `esdb://…` selects EventStoreDB; absent selects the embedded store under dataDir */
  eventStoreUrl?: string;
  dataDir: string;
  /** how often the embedded store's live subscriptions look for other processes' appends (200 ms) */
  pollIntervalMs?: number;
}

export const EVENTS_FILE = 'events.sqlite';
export const READ_MODELS_FILE = 'read-models.sqlite';
/** The worker's own read models, beside the API's. */
export const WORKER_READ_MODELS_FILE = 'worker-read-models.sqlite';

/** docs/access.md: EVENTSTORE_URL picks EventStoreDB, otherwise events live in `${DATA_DIR}/events.sqlite`. */
export function openEventStore(config: EventStoreConfig): EventStore {
  if (config.eventStoreUrl) {
    if (!/^esdb(\+discover)?:\/\//.test(config.eventStoreUrl)) {
      throw new Error(
        `EVENTSTORE_URL must be an esdb:// or esdb+discover:// connection string, got "${config.eventStoreUrl}"`,
      );
    }
    return new EsdbEventStore(config.eventStoreUrl);
  }
  return new SqliteEventStore({
    file: path.join(config.dataDir, EVENTS_FILE),
    pollIntervalMs: config.pollIntervalMs,
  });
}

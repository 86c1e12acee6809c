/**
 * The projection thread itself (ProjectionThread starts it): a ProjectionRunner over its own connections
 * to the event store and the read-model file, reporting to the thread that started it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openEventStore } from '../open-event-store';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { openReadModelDatabase } from './read-model-database';
import type { ThreadMessage, ThreadOptions, ThreadRequest } from './projection-thread';

const options = workerData as ThreadOptions;
const port = parentPort!;
const report = (message: ThreadMessage) => port.postMessage(message);

// A module of the service names the projections: they are built here, where they run.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = require(options.projections.module)[options.projections.export] as () => Projection[];
const store = openEventStore(options.eventStore);
const db = openReadModelDatabase(options.readModelsFile);
const runner = new ProjectionRunner(store, db, build());

// Changes are reported once per turn: a batch moves several checkpoints at once.
let reportScheduled = false;
runner.watch(() => {
  if (reportScheduled) return;
  reportScheduled = true;
  setImmediate(() => {
    reportScheduled = false;
    report({ type: 'status', statuses: runner.status(), live: runner.liveness() });
  });
});

port.on('message', (request: ThreadRequest) => {
  if (request.type === 'appended') {
    if (store instanceof SqliteEventStore) store.appendedElsewhere(request.rows);
  } else if (request.type === 'stop') {
    void (async () => {
      await runner.stop();
      await store.close();
      db.close();
      report({ type: 'stopped' });
      port.close();
    })();
  }
});

runner.start().then(
  () =>
    report({
      type: 'started',
      projections: runner.projections(),
      statuses: runner.status(),
      live: runner.liveness(),
    }),
  (error: unknown) =>
    report({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);

import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import type { SqliteDatabase } from '../sqlite/open-database';
import { newEvent, uniqueStream } from '../testing/new-events';
import { tempDataDir } from '../testing/temp-dir';
import { ProjectionThread } from './projection-thread';
import { openReadModelDatabase } from './read-model-database';

const TEST_PROJECTIONS = require.resolve('../testing/test-projections');

describe('read models on a thread of their own', () => {
  let data: ReturnType<typeof tempDataDir>;
  let store: SqliteEventStore;
  let readModels: SqliteDatabase;
  let projections: ProjectionThread;
  const threadErrors: Error[] = [];

  const thread = (exportName = 'rareEvents') =>
    new ProjectionThread({
      // The thread's poll comes too late for any wait below: what it applies in time, it was handed.
      eventStore: { dataDir: data.dir, pollIntervalMs: 60_000 },
      readModelsFile: path.join(data.dir, 'read-models.sqlite'),
      projections: { module: TEST_PROJECTIONS, export: exportName },
      appends: store,
      onThreadError: (error) => threadErrors.push(error),
    });
  const rareEventIds = () =>
    (
      readModels.prepare('SELECT event_id FROM rare_events ORDER BY event_id').all() as Array<{
        event_id: string;
      }>
    ).map((row) => row.event_id);
  const appendRare = async () => {
    const event = newEvent('Rare');
    const { position } = await store.appendToStream(uniqueStream('rare'), [event], {
      expectedRevision: 'no_stream',
    });
    return { eventId: event.eventId, position };
  };

  beforeEach(async () => {
    data = tempDataDir();
    store = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite'), pollIntervalMs: 60_000 });
    projections = thread();
    await projections.start();
    readModels = openReadModelDatabase(path.join(data.dir, 'read-models.sqlite'));
  });
  afterEach(async () => {
    await projections.stop();
    await store.close();
    readModels.close();
    data.remove();
  });

  it('applies what this process appends and says so: read-your-writes across threads', async () => {
    const { eventId, position } = await appendRare();
    await expect(projections.waitFor(position, { streamId: 'rare-x', timeoutMs: 3000 })).resolves.toBe(true);
    // read through another connection, as the API's queries do
    expect(rareEventIds()).toEqual([eventId]);
    expect(projections.status()).toEqual([
      expect.objectContaining({
        name: 'rare',
        status: 'RUNNING',
        checkpoint: expect.any(String),
        error: null,
      }),
    ]);
    await expect(projections.waitUntilLive(5000)).resolves.toBe(true);
  });

  it('names only the projections it runs', async () => {
    await expect(
      projections.waitFor((await appendRare()).position, { projections: ['registry'], timeoutMs: 100 }),
    ).rejects.toThrow('no projection named registry runs here');
  });

  it('a thread that dies shows in status, is started again, and goes on from its checkpoint', async () => {
    const before = await appendRare();
    await projections.waitFor(before.position, { timeoutMs: 5000 });
    await (projections as unknown as { thread: Worker }).thread.terminate();
    expect(projections.status()[0]).toMatchObject({
      status: 'STARTING',
      error: expect.stringContaining('projection thread exited'),
    });
    const after = await appendRare();
    await expect(projections.waitFor(after.position, { timeoutMs: 5000 })).resolves.toBe(true);
    expect(rareEventIds()).toEqual([before.eventId, after.eventId].sort());
    expect(projections.status()[0]).toMatchObject({ status: 'RUNNING', error: null });
  });

  it('after stop, the thread is gone and waits answer false at once', async () => {
    const worker = (projections as unknown as { thread: Worker }).thread;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await projections.stop();
    await exited;
    // Not by waiting out its timeout: the answer comes long before it.
    const started = Date.now();
    await expect(projections.waitFor((await appendRare()).position, { timeoutMs: 60_000 })).resolves.toBe(
      false,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a thread that cannot build its projections fails start with the reason', async () => {
    await expect(thread('noSuchExport').start()).rejects.toThrow(/not a function|noSuchExport/);
    expect(threadErrors).toEqual([]);
  });
});

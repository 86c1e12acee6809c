import * as path from 'node:path';
import { positionToString } from '../position';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import type { SqliteDatabase } from '../sqlite/open-database';
import { newEvent } from '../testing/new-events';
import { tempDataDir } from '../testing/temp-dir';
import { RareEvents, Stuck } from '../testing/test-projections';
import { ProjectionRunner } from './projection-runner';
import { openReadModelDatabase } from './read-model-database';

describe('the projection runner, over the embedded store', () => {
  let data: ReturnType<typeof tempDataDir>;
  let store: SqliteEventStore;
  let db: SqliteDatabase;
  beforeEach(() => {
    data = tempDataDir();
    store = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite'), pollIntervalMs: 20 });
    db = openReadModelDatabase(path.join(data.dir, 'read-models.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    db.close();
    data.remove();
  });

  const stored = () =>
    (db.prepare(`SELECT checkpoint FROM projections WHERE name = 'rare'`).get() as { checkpoint: string })
      .checkpoint;

  it('moves its stored checkpoint past events it does not read, so a restart does not read them again', async () => {
    await store.appendToStream('rare-1', [newEvent('Registered')], { expectedRevision: 'no_stream' });
    for (let i = 0; i < 3; i++)
      await store.appendToStream(
        `other-${i}`,
        Array.from({ length: 500 }, () => newEvent('Edited')),
        {
          expectedRevision: 'no_stream',
        },
      );
    let runner = new ProjectionRunner(store, db, [new RareEvents()]);
    await runner.start();
    expect(await runner.waitUntilLive(5000)).toBe(true);
    // Stored at most once a second: one more unrelated append after that second moves it to the head.
    await new Promise((r) => setTimeout(r, 1100));
    const { position } = await store.appendToStream('other-x', [newEvent('Edited')], {
      expectedRevision: 'no_stream',
    });
    for (let i = 0; i < 100 && stored() !== positionToString(position); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(stored()).toBe(positionToString(position));
    await runner.stop();

    // Restarted: a rare event after all that is applied, and nothing is applied twice.
    runner = new ProjectionRunner(store, db, [new RareEvents()]);
    await runner.start();
    const rare = await store.appendToStream('rare-2', [newEvent('Registered')], {
      expectedRevision: 'no_stream',
    });
    expect(await runner.waitFor(rare.position, { timeoutMs: 5000 })).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM rare_events').get()).toEqual({ n: 2 });
    expect(stored()).toBe(positionToString(rare.position));
    await runner.stop();
  });

  it('in live mode stores a skipped-over checkpoint at most once a second, while following every append', async () => {
    const runner = new ProjectionRunner(store, db, [new RareEvents()]);
    await runner.start();
    expect(await runner.waitUntilLive(5000)).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    const first = await store.appendToStream('other-a', [newEvent('Edited')], {
      expectedRevision: 'no_stream',
    });
    for (let i = 0; i < 100 && stored() !== positionToString(first.position); i++)
      await new Promise((r) => setTimeout(r, 10));
    let last = first;
    for (let i = 0; i < 5; i++) {
      last = await store.appendToStream(`other-b${i}`, [newEvent('Edited')], {
        expectedRevision: 'no_stream',
      });
      await new Promise((r) => setTimeout(r, 30));
    }
    // Followed in memory (read-your-writes does not wait for a store), stored no more than once this second.
    expect(await runner.waitFor(last.position, { timeoutMs: 2000 })).toBe(true);
    expect(stored()).toBe(positionToString(first.position));
    await runner.stop();
  });

  it('waits only for the projections named: a stuck one that is not named does not hold the caller', async () => {
    const runner = new ProjectionRunner(store, db, [new RareEvents(), new Stuck()]);
    await runner.start();
    const { position } = await store.appendToStream('rare-1', [newEvent('Registered')], {
      expectedRevision: 'no_stream',
    });
    expect(await runner.waitFor(position, { projections: ['rare'], timeoutMs: 5000 })).toBe(true);
    expect(await runner.waitFor(position, { projections: ['rare', 'stuck'], timeoutMs: 300 })).toBe(false);
    expect(await runner.waitFor(position, { streamId: 'rare-1', timeoutMs: 300 })).toBe(false);
    await expect(runner.waitFor(position, { projections: ['cycles'], timeoutMs: 300 })).rejects.toThrow(
      'no projection named cycles runs here',
    );
    await runner.stop();
  });
});

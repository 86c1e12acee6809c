import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EventStore } from '../event-store';
import { eventStoreContract } from '../testing/event-store.contract';
import { newEvent, uniqueStream } from '../testing/new-events';
import { SqliteEventStore } from './sqlite-event-store';

const dirs = new Map<EventStore, string>();

async function open(): Promise<EventStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-eval-store-'));
  const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite'), pollIntervalMs: 20 });
  dirs.set(store, dir);
  return store;
}

async function teardown(store: EventStore): Promise<void> {
  await store.close();
  fs.rmSync(dirs.get(store)!, { recursive: true, force: true });
  dirs.delete(store);
}

describe('embedded SQLite event store: the contract', () => {
  eventStoreContract(open, teardown);
});

describe('embedded SQLite event store: specifics', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-eval-store-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs in WAL mode with synchronous FULL (acknowledged means on disk)', async () => {
    const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.database.pragma('synchronous', { simple: true })).toBe(2); // FULL
    await store.close();
  });

  it('commits concurrent appends together, each still checked on its own', async () => {
    const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    const stream = uniqueStream();
    await store.appendToStream(stream, [newEvent('Created')], { expectedRevision: 'no_stream' });
    const results = await Promise.allSettled([
      ...Array.from({ length: 20 }, (_, i) =>
        store.appendToStream(uniqueStream(), [newEvent(`S${i}`)], { expectedRevision: 'no_stream' }),
      ),
      store.appendToStream(stream, [newEvent('Stale')], { expectedRevision: 5 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect(results[20]).toMatchObject({ status: 'rejected', reason: { code: 'WRONG_EXPECTED_REVISION' } });
    await store.close();
  });

  it('tells an observer the size and time of each group commit (the metrics of group commit)', async () => {
    const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    const commits: Array<{ appends: number; seconds: number }> = [];
    const stop = store.observeGroupCommits((commit) => commits.push(commit));
    await store.appendToStream(uniqueStream(), [newEvent('Alone')], { expectedRevision: 'no_stream' });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.appendToStream(uniqueStream(), [newEvent(`S${i}`)], { expectedRevision: 'no_stream' }),
      ),
    );
    expect(commits[0].appends).toBe(1);
    // the twenty arrived together: fewer commits than appends, and every append counted once
    expect(commits.length).toBeLessThan(21);
    expect(commits.reduce((sum, c) => sum + c.appends, 0)).toBe(21);
    expect(commits.every((c) => c.seconds >= 0 && c.seconds < 10)).toBe(true);
    stop();
    await store.appendToStream(uniqueStream(), [newEvent('Unobserved')], { expectedRevision: 'no_stream' });
    expect(commits.reduce((sum, c) => sum + c.appends, 0)).toBe(21);
    await store.close();
  });

  it('two processes’ connections on one file: exactly one of two conflicting appends wins', async () => {
    const file = path.join(dir, 'events.sqlite');
    const api = new SqliteEventStore({ file });
    const worker = new SqliteEventStore({ file });
    const stream = uniqueStream();
    await api.appendToStream(stream, [newEvent('Created')], { expectedRevision: 'no_stream' });
    const results = await Promise.allSettled([
      api.appendToStream(stream, [newEvent('FromApi')], { expectedRevision: 0 }),
      worker.appendToStream(stream, [newEvent('FromWorker')], { expectedRevision: 0 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await worker.readStream(stream, { maxCount: 10 })).toHaveLength(2);
    await api.close();
    await worker.close();
  });

  it('a live subscription sees appends made through another connection (another process)', async () => {
    const file = path.join(dir, 'events.sqlite');
    const reader = new SqliteEventStore({ file, pollIntervalMs: 20 });
    const writer = new SqliteEventStore({ file });
    const prefix = uniqueStream('x');
    const seen = new Promise<string>((resolve) => {
      const sub = reader.subscribeToAll({ after: null, streamPrefixes: [prefix] }, (event) => {
        void sub.stop().then(() => resolve(event.type));
      });
    });
    await new Promise((r) => setTimeout(r, 30));
    await writer.appendToStream(`${prefix}-1`, [newEvent('FromElsewhere')], {
      expectedRevision: 'no_stream',
    });
    await expect(seen).resolves.toBe('FromElsewhere');
    await reader.close();
    await writer.close();
  });

  it('a stream read again after another connection appended shows the new events', async () => {
    const file = path.join(dir, 'events.sqlite');
    const api = new SqliteEventStore({ file });
    const other = new SqliteEventStore({ file });
    const stream = uniqueStream();
    await api.appendToStream(stream, [newEvent('First')], { expectedRevision: 'no_stream' });
    expect(await api.readStream(stream, { fromRevision: 1, maxCount: 10 })).toEqual([]);
    await other.appendToStream(stream, [newEvent('FromElsewhere')], { expectedRevision: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect((await api.readStream(stream, { fromRevision: 1, maxCount: 10 })).map((e) => e.type)).toEqual([
      'FromElsewhere',
    ]);
    await api.close();
    await other.close();
  });

  it('the stream heads it remembers stay bounded when clients ask for ids that do not exist', async () => {
    const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    const known = () => (store as unknown as { knownHeads: Map<string, number> }).knownHeads.size;
    const stream = uniqueStream();
    await store.appendToStream(stream, [newEvent('First')], { expectedRevision: 'no_stream' });
    for (let i = 0; i < 12_000; i++) await store.readStream(`missing-${i}`, { maxCount: 10 });
    await store.readStream(`long-${'x'.repeat(100_000)}`, { maxCount: 10 });
    expect(known()).toBeGreaterThan(0);
    expect(known()).toBeLessThanOrEqual(10_000);
    // Forgetting is harmless: the stream is read again and answers the same.
    await store.appendToStream(stream, [newEvent('Second')], { expectedRevision: 0 });
    expect((await store.readStream(stream, { maxCount: 10 })).map((e) => e.type)).toEqual([
      'First',
      'Second',
    ]);
    await store.close();
  });

  /** Collects what a live subscription to the prefix delivers until `count` events arrived. */
  const delivered = (store: EventStore, prefix: string, count: number) => {
    const events: Awaited<ReturnType<EventStore['readAll']>> = [];
    let subscription: ReturnType<EventStore['subscribeToAll']>;
    const all = new Promise<typeof events>((resolve) => {
      subscription = store.subscribeToAll({ after: null, streamPrefixes: [prefix] }, (event) => {
        events.push(event);
        if (events.length === count) void subscription.stop().then(() => resolve(events));
      });
    });
    return all;
  };

  it('a live subscriber gets what this store just appended from memory, as the table holds it, without asking the table', async () => {
    // No poll in the test's time: the subscriber reads when told of a commit.
    const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite'), pollIntervalMs: 60_000 });
    const table = (store as unknown as { statements: { all: { all: (...args: number[]) => unknown[] } } })
      .statements.all;
    const query = table.all.bind(table);
    let rowsReadBack = 0;
    let queries = 0;
    table.all = (...args: number[]) => {
      const rows = query(...args);
      queries += 1;
      rowsReadBack += rows.length;
      return rows;
    };
    const prefix = uniqueStream('tail');
    const seen = delivered(store, prefix, 30);
    for (let i = 0; i < 10; i++) {
      await Promise.all(
        [0, 1, 2].map((k) =>
          store.appendToStream(`${prefix}-${k}`, [newEvent(`E${i}`, { i, k })], {
            expectedRevision: i === 0 ? 'no_stream' : i - 1,
          }),
        ),
      );
      // The subscriber catches up and asks whether anything follows before the next commit.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const events = await seen;
    // Read from the table alone, all 30 would be read back. Whether anything followed the rows it had,
    // the subscriber learnt from data_version (no other connection committed): the table was asked only
    // when the subscription started, with nothing in memory yet (else at least once per commit, ten).
    expect(rowsReadBack).toBe(0);
    expect(queries).toBeLessThanOrEqual(2);
    expect(events).toEqual(await store.readAll({ maxCount: 100 }));
    await store.close();
  });

  it('appends of this store and of another connection, interleaved: a live subscriber sees each once, in log order', async () => {
    const file = path.join(dir, 'events.sqlite');
    const api = new SqliteEventStore({ file, pollIntervalMs: 10 });
    const other = new SqliteEventStore({ file });
    const prefix = uniqueStream('mixed');
    const seen = delivered(api, prefix, 40);
    for (let i = 0; i < 20; i++) {
      await api.appendToStream(`${prefix}-api-${i}`, [newEvent('FromApi')], {
        expectedRevision: 'no_stream',
      });
      await other.appendToStream(`${prefix}-other-${i}`, [newEvent('FromOther')], {
        expectedRevision: 'no_stream',
      });
      if (i % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const events = await seen;
    expect(events.map((e) => e.eventId)).toEqual(
      (await api.readAll({ maxCount: 100 })).map((e) => e.eventId),
    );
    await api.close();
    await other.close();
  });

  it('closing commits and answers the appends already made, and refuses any after', async () => {
    const file = path.join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ file });
    const appends = Array.from({ length: 30 }, (_, i) =>
      store.appendToStream(uniqueStream(), [newEvent(`Before${i}`)], { expectedRevision: 'no_stream' }),
    );
    const closed = store.close();
    await expect(
      store.appendToStream(uniqueStream(), [newEvent('After')], { expectedRevision: 'no_stream' }),
    ).rejects.toThrow('event store is closed');
    await expect(Promise.all(appends)).resolves.toHaveLength(30);
    await closed;
    const reopened = new SqliteEventStore({ file });
    expect(await reopened.readAll({ maxCount: 100 })).toHaveLength(30);
    await reopened.close();
  });

  it('reopening applies no migration twice and keeps the data', async () => {
    const file = path.join(dir, 'events.sqlite');
    const first = new SqliteEventStore({ file });
    const stream = uniqueStream();
    await first.appendToStream(stream, [newEvent('Kept')], { expectedRevision: 'no_stream' });
    await first.close();
    const second = new SqliteEventStore({ file });
    expect((await second.readStream(stream, { maxCount: 1 }))[0].type).toBe('Kept');
    expect(second.database.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 1 });
    await second.close();
  });
});

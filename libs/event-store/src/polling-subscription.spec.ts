import { createHook } from 'node:async_hooks';
import * as path from 'node:path';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { newEvent, uniqueStream } from './testing/new-events';
import { tempDataDir } from './testing/temp-dir';
import type { Subscription } from './event-store';

/**
 * Promises of this process created and not yet settled. A callback left on a promise that never settles
 * shows here: `p.then(…)` (which Promise.race does with each of its inputs) makes a derived promise that
 * stays pending as long as `p` does, so a loop that leaves one behind per turn makes this count climb.
 */
function pendingPromises() {
  const pending = new Set<number>();
  const hook = createHook({
    init: (asyncId, type) => void (type === 'PROMISE' && pending.add(asyncId)),
    promiseResolve: (asyncId) => void pending.delete(asyncId),
  });
  hook.enable();
  return { count: () => pending.size, disable: () => hook.disable() };
}

describe('polling subscription: what a wait leaves behind', () => {
  let data: ReturnType<typeof tempDataDir>;
  let store: SqliteEventStore;
  let subscription: Subscription | null;
  beforeEach(() => {
    data = tempDataDir('perf-eval-polling-');
    subscription = null;
  });
  afterEach(async () => {
    await subscription?.stop();
    await store.close();
    data.remove();
  });

  /** Subscribes live, counting its waits (each one follows a caught-up report). */
  function subscribe(pollIntervalMs: number) {
    store = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite'), pollIntervalMs });
    let waits = 0;
    const reached: Array<{ n: number; resolve: () => void }> = [];
    subscription = store.subscribeToAll(
      {
        after: null,
        onCaughtUp: () => {
          waits += 1;
          for (const r of reached.filter((r) => waits >= r.n)) r.resolve();
        },
      },
      () => undefined,
    );
    const waited = (n: number) =>
      new Promise<void>((resolve) => (waits >= n ? resolve() : reached.push({ n, resolve })));
    return { waited, waits: () => waits };
  }

  const appendListeners = () =>
    (store as unknown as { appended: { listenerCount(name: string): number } }).appended.listenerCount(
      'appended',
    );

  it('a thousand waits, by timeout and by appends, leave no callbacks behind', async () => {
    const live = subscribe(1);
    await live.waited(20);
    const promises = pendingPromises();
    try {
      await live.waited(live.waits() + 100);
      const before = promises.count();
      // Waits that end by the poll timeout, and waits that an append in this process ends early.
      const stream = uniqueStream();
      await store.appendToStream(stream, [newEvent('First')], { expectedRevision: 'no_stream' });
      for (let i = 1; i <= 200; i++) {
        await store.appendToStream(stream, [newEvent('Next')], { expectedRevision: i - 1 });
      }
      await live.waited(live.waits() + 1000);
      const after = promises.count();
      // The old loop raced every wait against one promise settled only by stop(): +1 per wait here.
      expect(after - before).toBeLessThan(50);
      expect(appendListeners()).toBeLessThanOrEqual(1);
    } finally {
      promises.disable();
    }
  });

  it('stop() ends a wait at once, and takes its listener back', async () => {
    // A poll interval far beyond the test's timeout: stop() must not wait for it.
    const live = subscribe(10 * 60_000);
    await live.waited(1);
    expect(appendListeners()).toBe(1);
    await subscription!.stop();
    await subscription!.done;
    expect(appendListeners()).toBe(0);
  });

  it('an append wakes a waiting subscription at once, and it sees the event', async () => {
    store = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite'), pollIntervalMs: 10 * 60_000 });
    const seen: string[] = [];
    let caughtUp: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (caughtUp = resolve));
    let delivered: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (delivered = resolve));
    subscription = store.subscribeToAll({ after: null, onCaughtUp: () => caughtUp() }, (event) => {
      seen.push(event.type);
      delivered();
    });
    await first;
    await store.appendToStream(uniqueStream(), [newEvent('Woken')], { expectedRevision: 'no_stream' });
    await arrived;
    expect(seen).toEqual(['Woken']);
  });
});

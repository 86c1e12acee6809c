import type { StoredEvent } from '../envelope';
import { InvalidAppend, WrongExpectedRevision, type EventStore } from '../event-store';
import { GENESIS_HASH } from '../hash-chain';
import { comparePositions } from '../position';
import { newEvent, uniqueStream } from './new-events';

/**
 * One contract for every event store adapter. The embedded store runs it always; the EventStoreDB
 * adapter runs it whenever EVENTSTORE_URL is set.
 */
export function eventStoreContract(
  open: () => Promise<EventStore>,
  teardown: (store: EventStore) => Promise<void>,
): void {
  let store: EventStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await teardown(store);
  });

  const collect = (count: number, options: Parameters<EventStore['subscribeToAll']>[0], prefix: string) =>
    new Promise<StoredEvent[]>((resolve, reject) => {
      const seen: StoredEvent[] = [];
      const subscription = store.subscribeToAll({ ...options, streamPrefixes: [prefix] }, (event) => {
        seen.push(event);
        if (seen.length === count) void subscription.stop().then(() => resolve(seen));
      });
      subscription.done.catch(reject);
    });

  describe('appending and reading a stream', () => {
    it('stores a batch at revisions 0.. with data, metadata and a linked hash chain', async () => {
      const stream = uniqueStream();
      const batch = [newEvent('Opened', { a: 1 }), newEvent('Changed', { b: '2' })];
      const result = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(1);
      const read = await store.readStream(stream, { maxCount: 10 });
      expect(read.map((e) => [e.revision, e.type, e.data, e.eventId])).toEqual([
        [0, 'Opened', { a: 1 }, batch[0].eventId],
        [1, 'Changed', { b: '2' }, batch[1].eventId],
      ]);
      expect(read[0].metadata).toEqual(batch[0].metadata);
      expect(read[0].schemaVersion).toBe(1);
      expect(read[0].previousHash).toBe(GENESIS_HASH);
      expect(read[1].previousHash).toBe(read[0].hash);
      expect(read[0].hash).toMatch(/^[0-9a-f]{64}$/);
      expect(comparePositions(read[1].position, result.position)).toBe(0);
    });

    it('checks the expected revision and reports the current one on conflict', async () => {
      const stream = uniqueStream();
      await store.appendToStream(stream, [newEvent('A'), newEvent('B')], { expectedRevision: 'no_stream' });
      await expect(
        store.appendToStream(stream, [newEvent('C')], { expectedRevision: 0 }),
      ).rejects.toMatchObject({
        code: 'WRONG_EXPECTED_REVISION',
        currentRevision: 1,
      });
      await expect(
        store.appendToStream(stream, [newEvent('C')], { expectedRevision: 'no_stream' }),
      ).rejects.toBeInstanceOf(WrongExpectedRevision);
      await expect(
        store.appendToStream(uniqueStream(), [newEvent('C')], { expectedRevision: 3 }),
      ).rejects.toMatchObject({
        currentRevision: -1,
      });
      const ok = await store.appendToStream(stream, [newEvent('C')], { expectedRevision: 1 });
      expect(ok.nextExpectedRevision).toBe(2);
      expect(
        (await store.appendToStream(stream, [newEvent('D')], { expectedRevision: 'any' }))
          .nextExpectedRevision,
      ).toBe(3);
    });

    it('appends all of a batch or nothing', async () => {
      const stream = uniqueStream();
      await expect(
        store.appendToStream(stream, [newEvent('Good'), { ...newEvent('Bad'), eventId: 'not-a-uuid' }], {
          expectedRevision: 'any',
        }),
      ).rejects.toBeInstanceOf(InvalidAppend);
      expect(await store.readStream(stream, { maxCount: 10 })).toEqual([]);
    });

    it('is idempotent by event id: the same batch again succeeds and is stored once', async () => {
      const stream = uniqueStream();
      const batch = [newEvent('A'), newEvent('B')];
      const first = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      const again = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
      await store.appendToStream(stream, [newEvent('C')], { expectedRevision: 1 });
      const retried = await store.appendToStream(stream, batch, { expectedRevision: 'any' });
      expect(retried.nextExpectedRevision).toBe(1);
      expect((await store.readStream(stream, { maxCount: 10 })).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('refuses an event id already used by another event', async () => {
      const event = newEvent('A');
      await store.appendToStream(uniqueStream(), [event], { expectedRevision: 'any' });
      await expect(
        store.appendToStream(uniqueStream(), [{ ...event, type: 'Other' }], { expectedRevision: 'any' }),
      ).rejects.toBeInstanceOf(InvalidAppend);
    });

    it('reads forwards and backwards in bounded pages', async () => {
      const stream = uniqueStream();
      await store.appendToStream(
        stream,
        Array.from({ length: 7 }, (_, i) => newEvent(`E${i}`)),
        { expectedRevision: 'no_stream' },
      );
      const page1 = await store.readStream(stream, { maxCount: 3 });
      const page2 = await store.readStream(stream, { fromRevision: 3, maxCount: 3 });
      const back = await store.readStream(stream, { direction: 'backwards', maxCount: 2 });
      const backFrom = await store.readStream(stream, {
        direction: 'backwards',
        fromRevision: 2,
        maxCount: 10,
      });
      expect(page1.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(page2.map((e) => e.revision)).toEqual([3, 4, 5]);
      expect(back.map((e) => e.revision)).toEqual([6, 5]);
      expect(backFrom.map((e) => e.revision)).toEqual([2, 1, 0]);
      await expect(store.readStream(stream, { maxCount: 100_000 })).rejects.toThrow(RangeError);
      expect(await store.readStream(uniqueStream(), { maxCount: 5 })).toEqual([]);
    });
  });

  describe('the global log', () => {
    it('reads all events in append order, in pages after a position', async () => {
      const prefix = uniqueStream('log');
      const head = await store.headPosition();
      await store.appendToStream(`${prefix}-a`, [newEvent('A1')], { expectedRevision: 'no_stream' });
      await store.appendToStream(`${prefix}-b`, [newEvent('B1'), newEvent('B2')], {
        expectedRevision: 'no_stream',
      });
      await store.appendToStream(`${prefix}-a`, [newEvent('A2')], { expectedRevision: 0 });
      const ours: StoredEvent[] = [];
      let after = head;
      for (;;) {
        const page = await store.readAll({ after, maxCount: 2 });
        if (page.length === 0) break;
        ours.push(...page.filter((e) => e.streamId.startsWith(prefix)));
        after = page[page.length - 1].position;
      }
      expect(ours.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
      for (let i = 1; i < ours.length; i++)
        expect(comparePositions(ours[i - 1].position, ours[i].position)).toBeLessThan(0);
      expect(comparePositions((await store.headPosition())!, ours[3].position)).toBe(0);
    });
  });

  describe('subscriptions', () => {
    it('catches up, then delivers live events, strictly in order and one at a time', async () => {
      const prefix = uniqueStream('sub');
      const start = await store.headPosition();
      await store.appendToStream(`${prefix}-1`, [newEvent('Old1'), newEvent('Old2')], {
        expectedRevision: 'no_stream',
      });
      let running = 0;
      let maxRunning = 0;
      const seen: string[] = [];
      const batches: number[] = [];
      const received = new Promise<void>((resolve, reject) => {
        const subscription = store.subscribeToAll(
          { after: start, streamPrefixes: [prefix], onBatchEnd: () => void batches.push(seen.length) },
          async (event) => {
            running += 1;
            maxRunning = Math.max(maxRunning, running);
            await new Promise((r) => setTimeout(r, 5));
            seen.push(event.type);
            running -= 1;
            if (seen.length === 4) void subscription.stop().then(resolve);
          },
        );
        subscription.done.catch(reject);
      });
      await new Promise((r) => setTimeout(r, 50));
      await store.appendToStream(`${prefix}-2`, [newEvent('Live1')], { expectedRevision: 'no_stream' });
      await store.appendToStream(`${prefix}-1`, [newEvent('Live2')], { expectedRevision: 1 });
      await received;
      expect(seen).toEqual(['Old1', 'Old2', 'Live1', 'Live2']);
      expect(maxRunning).toBe(1);
      expect(batches.length).toBeGreaterThan(0);
    });

    it('says when it has caught up: by then everything appended before has been delivered', async () => {
      const prefix = uniqueStream('live');
      await store.appendToStream(`${prefix}-1`, [newEvent('A'), newEvent('B'), newEvent('C')], {
        expectedRevision: 'no_stream',
      });
      const seen: string[] = [];
      const atCaughtUp: string[][] = [];
      const subscription = store.subscribeToAll(
        { after: null, streamPrefixes: [prefix], onCaughtUp: () => void atCaughtUp.push([...seen]) },
        (event) => void seen.push(event.type),
      );
      for (let i = 0; i < 100 && atCaughtUp.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await store.appendToStream(`${prefix}-1`, [newEvent('D')], { expectedRevision: 2 });
      for (let i = 0; i < 100 && !atCaughtUp.some((s) => s.includes('D')); i++)
        await new Promise((r) => setTimeout(r, 20));
      await subscription.stop();
      expect(atCaughtUp[0]).toEqual(['A', 'B', 'C']);
      expect(atCaughtUp.find((s) => s.includes('D'))).toEqual(['A', 'B', 'C', 'D']);
    });

    it('starts strictly after the checkpoint it is given', async () => {
      const prefix = uniqueStream('cp');
      await store.appendToStream(`${prefix}-1`, [newEvent('One'), newEvent('Two'), newEvent('Three')], {
        expectedRevision: 'no_stream',
      });
      const [one] = await store.readStream(`${prefix}-1`, { maxCount: 1 });
      const seen = await collect(2, { after: one.position }, prefix);
      expect(seen.map((e) => e.type)).toEqual(['Two', 'Three']);
    });

    it('stops cleanly and reports a failing handler', async () => {
      const prefix = uniqueStream('fail');
      await store.appendToStream(`${prefix}-1`, [newEvent('Boom')], { expectedRevision: 'no_stream' });
      const subscription = store.subscribeToAll({ after: null, streamPrefixes: [prefix] }, () => {
        throw new Error('cannot apply');
      });
      await expect(subscription.done).rejects.toThrow('cannot apply');
    });
  });

  describe('concurrency', () => {
    it('of appends with the same expected revision, exactly one wins and the others learn the current revision', async () => {
      const stream = uniqueStream();
      await store.appendToStream(stream, [newEvent('Created')], { expectedRevision: 'no_stream' });
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          store.appendToStream(stream, [newEvent(`Edit${i}`)], { expectedRevision: 0 }),
        ),
      );
      const won = attempts.filter((a) => a.status === 'fulfilled');
      const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const loss of lost)
        expect(loss.reason).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', currentRevision: 1 });
      expect(await store.readStream(stream, { maxCount: 10 })).toHaveLength(2);
    });
  });
}

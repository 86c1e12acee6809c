import type { EventStore, ReadStreamOptions } from '../event-store';

export interface CountedRead {
  streamId: string;
  options: ReadStreamOptions;
  /** how many events the read returned */
  events: number;
}

/** The store as given, recording each stream read it answers (for tests that count the reads of a query). */
export function countingReads(store: EventStore): { store: EventStore; reads: CountedRead[] } {
  const reads: CountedRead[] = [];
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readStream')
        return async (streamId: string, options: ReadStreamOptions) => {
          const events = await target.readStream(streamId, options);
          reads.push({ streamId, options, events: events.length });
          return events;
        };
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, reads };
}

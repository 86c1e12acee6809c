import type { EventStore } from './event-store';

/** How one append went, as metrics see it: its time from the call to the answer, and whether it was stored. */
export interface AppendTiming {
  seconds: number;
  outcome: 'ok' | 'conflict' | 'error';
}

/**
 * Any event store, with each append timed for an observer (the API's metrics): the time a command waits
 * for its events to be stored, queueing for a group commit included. Everything else passes through.
 */
export function timedAppends(store: EventStore, observe: (timing: AppendTiming) => void): EventStore {
  const timed: EventStore = {
    kind: store.kind,
    async appendToStream(streamId, events, options) {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await store.appendToStream(streamId, events, options);
        observe({ seconds: seconds(), outcome: 'ok' });
        return result;
      } catch (error) {
        const conflict = (error as { code?: string }).code === 'WRONG_EXPECTED_REVISION';
        observe({ seconds: seconds(), outcome: conflict ? 'conflict' : 'error' });
        throw error;
      }
    },
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: (options) => store.readAll(options),
    subscribeToAll: (options, handler) => store.subscribeToAll(options, handler),
    headPosition: () => store.headPosition(),
    ping: () => store.ping(),
    close: () => store.close(),
  };
  return timed;
}

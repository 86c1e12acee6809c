import type { ChangeListener, EvaluationChange, EvaluationChangeFeed } from './change-feed';

/** Changes a slow client has not taken yet: past this the oldest are dropped (each change says "refetch"). */
export const MAX_QUEUED_CHANGES = 1000;

/**
 * The feed's changes that pass `wanted`, as the async iterator a GraphQL subscription returns. Ending it
 * (the client completes the subscription or its socket closes: graphql-ws calls `return`) removes its
 * listener at once, so nothing is kept for a subscriber that left.
 */
export async function changesFrom(
  feed: EvaluationChangeFeed,
  wanted: (change: EvaluationChange) => boolean,
): Promise<AsyncIterableIterator<EvaluationChange>> {
  const queued: EvaluationChange[] = [];
  let waiting: ((result: IteratorResult<EvaluationChange>) => void) | null = null;
  let done = false;

  const listener: ChangeListener = (change) => {
    if (done || !wanted(change)) return;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value: change, done: false });
      return;
    }
    if (queued.length >= MAX_QUEUED_CHANGES) queued.shift();
    queued.push(change);
  };
  const unlisten = await feed.listen(listener);

  const finish = (): Promise<IteratorResult<EvaluationChange>> => {
    if (!done) {
      done = true;
      unlisten();
      queued.length = 0;
      waiting?.({ value: undefined, done: true });
      waiting = null;
    }
    return Promise.resolve({ value: undefined, done: true });
  };

  const iterator: AsyncIterableIterator<EvaluationChange> = {
    next() {
      if (queued.length > 0) return Promise.resolve({ value: queued.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: finish,
    throw(error?: unknown) {
      void finish();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

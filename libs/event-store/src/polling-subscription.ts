import type { StoredEvent } from './envelope';
import type { ReadAllOptions, Subscription, SubscriptionOptions } from './event-store';

const PAGE_SIZE = 500;

export interface WakeUpSource {
  /** resolves when new events may be there, or after `timeoutMs` */
  wait(timeoutMs: number): Promise<void>;
}

/**
 * Catch-up then live over paged reads of the global log. Live means: woken at once by appends in this
 * process, and polling for appends by other processes (the API and the worker share one file).
 */
export function pollingSubscription(
  readAll: (options: ReadAllOptions) => Promise<StoredEvent[]>,
  wakeUps: WakeUpSource,
  options: SubscriptionOptions & { pollIntervalMs: number },
  handler: (event: StoredEvent) => Promise<void> | void,
): Subscription {
  let stopped = false;
  let wakeStop: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => (wakeStop = resolve));
  const prefixes = options.streamPrefixes;

  const run = async () => {
    let after = options.after;
    while (!stopped) {
      const page = await readAll({ after, maxCount: PAGE_SIZE });
      if (page.length === 0) {
        options.onCaughtUp?.();
        await Promise.race([wakeUps.wait(options.pollIntervalMs), stopSignal]);
        continue;
      }
      let delivered: StoredEvent | null = null;
      for (const event of page) {
        if (stopped) return;
        if (prefixes && !prefixes.some((prefix) => event.streamId.startsWith(prefix))) continue;
        await handler(event);
        delivered = event;
      }
      if (stopped) return;
      if (delivered && options.onBatchEnd) await options.onBatchEnd(delivered.position);
      after = page[page.length - 1].position;
      // The embedded store answers synchronously: let timers and I/O (HTTP requests) run between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const done = run();
  return {
    done,
    async stop() {
      stopped = true;
      wakeStop();
      await done.catch(() => undefined);
    },
  };
}

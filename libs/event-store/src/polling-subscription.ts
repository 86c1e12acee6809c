import type { StoredEvent } from './envelope';
import type { Subscription, SubscriptionOptions } from './event-store';
import type { Position } from './position';

const PAGE_SIZE = 500;

export interface WakeUpSource {
  /** resolves when new events may be there, or after `timeoutMs` */
  wait(timeoutMs: number): Promise<void>;
}

/** One page of the global log: the wanted events in it, and where the page ended (null: nothing new). */
export interface LogPage {
  events: StoredEvent[];
  last: Position | null;
}

/** Reads the page after `after`, keeping only streams with one of the prefixes (all when none given). */
export type PageReader = (after: Position | null, maxCount: number, prefixes?: string[]) => Promise<LogPage>;

/**
 * Catch-up then live over paged reads of the global log. Live means: woken at once by appends in this
 * process, and polling for appends by other processes (the API and the worker share one file). A page
 * with nothing wanted is reported through onSkipped, so a consumer can move past it.
 */
export function pollingSubscription(
  readPage: PageReader,
  wakeUps: WakeUpSource,
  options: SubscriptionOptions & { pollIntervalMs: number },
  handler: (event: StoredEvent) => Promise<void> | void,
): Subscription {
  let stopped = false;
  let wakeStop: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => (wakeStop = resolve));

  const run = async () => {
    let after = options.after;
    while (!stopped) {
      const page = await readPage(after, PAGE_SIZE, options.streamPrefixes);
      if (page.last === null) {
        options.onCaughtUp?.();
        await Promise.race([wakeUps.wait(options.pollIntervalMs), stopSignal]);
        continue;
      }
      for (const event of page.events) {
        if (stopped) return;
        await handler(event);
      }
      if (stopped) return;
      if (page.events.length > 0) {
        if (options.onBatchEnd) await options.onBatchEnd(page.events[page.events.length - 1].position);
      } else {
        options.onSkipped?.(page.last);
      }
      after = page.last;
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

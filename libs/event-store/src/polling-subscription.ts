import type { StoredEvent } from './envelope';
import type { Subscription, SubscriptionOptions } from './event-store';
import type { Position } from './position';

const PAGE_SIZE = 500;

export interface WakeUpSource {
  /**
   * Resolves when new events may be there, after `timeoutMs`, or at once when `stop` aborts (already
   * aborted included). Whatever it registered for this wait (timer, listeners, the listener on `stop`)
   * is removed when it resolves: a subscription waits thousands of times an hour, for months.
   */
  wait(timeoutMs: number, stop: AbortSignal): Promise<void>;
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
  // stop() reaches a waiting loop through the wake-up source itself. Not by racing each wait against one
  // promise that settles on stop: every race leaves its callbacks on that promise until it settles, which
  // for a subscription that is never stopped is never (megabytes an hour, more under writes).
  const stopping = new AbortController();
  const stopped = stopping.signal;

  const run = async () => {
    let after = options.after;
    while (!stopped.aborted) {
      const page = await readPage(after, PAGE_SIZE, options.streamPrefixes);
      if (page.last === null) {
        options.onCaughtUp?.();
        await wakeUps.wait(options.pollIntervalMs, stopped);
        continue;
      }
      for (const event of page.events) {
        if (stopped.aborted) return;
        await handler(event);
      }
      if (stopped.aborted) return;
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
      stopping.abort();
      await done.catch(() => undefined);
    },
  };
}

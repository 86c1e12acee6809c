import { performance } from 'node:perf_hooks';
import { Counter, collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * Node's runtime metrics (prom-client's defaults: CPU, memory, heap, GC, event-loop lag, handles) and the
 * time the event loop has spent busy, both under the `perf_eval_` prefix.
 *
 * `perf_eval_event_loop_busy_seconds_total` is what saturates a Node service first: its rate is the
 * share of the time the one JavaScript thread ran code or sat in a blocking call (a SQLite commit's
 * fsync counts, which process CPU time does not show). Near 1, requests queue, whatever the CPU figures
 * say on a machine with more cores.
 */
export function collectRuntimeMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: 'perf_eval_' });
  let counted = 0;
  new Counter({
    name: 'perf_eval_event_loop_busy_seconds_total',
    help: 'Time the event loop spent running code or blocked in a call (its rate is the loop utilization)',
    registers: [registry],
    // prom-client calls collect with the counter as `this`
    collect() {
      const active = performance.eventLoopUtilization().active;
      this.inc((active - counted) / 1000);
      counted = active;
    },
  });
}

'use strict';
/* global require, process, setInterval */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS preload, loaded before anything compiles TypeScript */
/**
 * Preloaded into the API by the soak benchmark only (`node -r test/bench/heap-sampler.js …`), so the
 * service itself carries no sampling code and exposes nothing: with BENCH_HEAP_SAMPLE_FILE set, one JSON
 * line a second with process.memoryUsage(), and one after every full (mark-compact) collection with the
 * heap it left: the live set, which is what a leak grows.
 */
const fs = require('node:fs');
const v8 = require('node:v8');
const { PerformanceObserver, constants } = require('node:perf_hooks');

const file = process.env.BENCH_HEAP_SAMPLE_FILE;
if (file) {
  const write = (line) => fs.appendFileSync(file, JSON.stringify({ at: Date.now(), ...line }) + '\n');
  setInterval(() => write({ kind: 'tick', ...process.memoryUsage() }), 1000).unref();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      write({ kind: 'major-gc', heapUsed: v8.getHeapStatistics().used_heap_size });
    }
  }).observe({ entryTypes: ['gc'] });
}

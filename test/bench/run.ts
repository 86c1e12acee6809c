/**
 * `npm run bench` prints each measurement as it comes; `npm run bench -- --json` also prints one JSON
 * object with every number as its last line, for scripts. Benchmarks are never part of the test run.
 */
import { domainBenchmarks } from './domain.bench';
import { storeBenchmarks } from './store.bench';
import { apiBenchmarks } from './api.bench';
import { jobsBenchmarks } from './jobs.bench';
import { soakBenchmarks } from './soak.bench';
import { scaleBenchmarks } from './scale.bench';
import { webBenchmarks } from './web.bench';

const SUITES: Array<[string, () => Promise<Record<string, number>>]> = [
  ['domain', domainBenchmarks],
  ['store', storeBenchmarks],
  ['api', apiBenchmarks],
  ['jobs', jobsBenchmarks],
  // the console in Chromium: the first page's JavaScript, the form interactive, a live update
  ['web', webBenchmarks],
  // district, city and province sizes (10M events: several minutes, some GB of disk)
  ['scale', scaleBenchmarks],
  // minutes long (BENCH_SOAK_SECONDS, default 180): last, so the quick suites report first
  ['soak', soakBenchmarks],
];

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  // `npm run bench -- api` runs only the named suites.
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const results: Record<string, number> = {};
  for (const [name, run] of SUITES) {
    if (only.length > 0 && !only.includes(name)) continue;
    console.log(`# ${name}`);
    const metrics = await run();
    for (const [key, value] of Object.entries(metrics)) {
      console.log(`${key.padEnd(40)} ${value}`);
      results[key] = value;
    }
  }
  if (json) console.log(JSON.stringify(results));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  READ_MODELS_FILE,
  SqliteEventStore,
  openReadModelDatabase,
  rebuildProjection,
} from '@app/event-store';
import { evaluationAt, evaluationStreamId, generateDistrictReport } from '@app/application';
import {
  EvaluationSummariesProjection,
  SqliteEvaluationSnapshots,
  departmentsOfDistrict,
} from '@app/read-models';
import { generatedEvaluationEvents } from '@app/application/testing/generated-history';
import { exampleForm } from '@app/domain/testing/fixtures';
import { seedDistrict } from './seed-district';
import { buildApi } from './compiled-api';

/**
 * How cost grows with the work, at the sizes of a district, a city and a province: a district report
 * over 200 / 2,000 / 20,000 departments, the form at a version for 1,000 / 10,000 events, a rebuild of
 * the read models over 100k / 1M / 10M events (BENCH_SCALE_EVENTS, comma-separated, to change the
 * sizes). Each step in a fresh store; the process's resident memory after it. Printed as a table, each
 * step's cost per unit of work beside the smallest step's, so growth beyond linear shows.
 */
const EVENTS_PER_FORM = 1000;
const rssMb = () => Math.round(process.memoryUsage().rss / 1024 / 1024);

interface Step {
  work: string;
  size: number;
  ms: number;
  rssMb: number;
}

async function inFreshStore<T>(run: (store: SqliteEventStore, dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-eval-bench-scale-'));
  const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
  try {
    return await run(store, dir);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function reportStep(departments: number): Promise<Step> {
  return inFreshStore(async (store, dir) => {
    const readModels = openReadModelDatabase(path.join(dir, READ_MODELS_FILE));
    try {
      await seedDistrict(store, readModels, 'big', departments);
      const started = performance.now();
      const { report } = await generateDistrictReport(
        store,
        departmentsOfDistrict(readModels, 'big'),
        'big',
        2021,
        new Date(),
        'bench',
      );
      const ms = performance.now() - started;
      if (report.departments !== departments) throw new Error(`report saw ${report.departments}`);
      return { work: 'district report (departments)', size: departments, ms, rssMb: rssMb() };
    } finally {
      readModels.close();
    }
  });
}

/**
 * The slowest of the form at its last version, one before it, its middle and its first tenth (each the
 * least of 5 runs), read as the audit queries read it: from the latest snapshot at or before it.
 */
async function stateAtVersionStep(events: number): Promise<Step> {
  return inFreshStore(async (store, dir) => {
    const { evaluationId, events: stream } = generatedEvaluationEvents(exampleForm(), 0, events);
    for (let i = 0; i < stream.length; i += 1000)
      await store.appendToStream(evaluationStreamId(evaluationId), stream.slice(i, i + 1000), {
        expectedRevision: i === 0 ? 'no_stream' : i - 1,
      });
    const db = openReadModelDatabase(path.join(dir, READ_MODELS_FILE));
    await rebuildProjection(store, db, new EvaluationSummariesProjection());
    const snapshots = new SqliteEvaluationSnapshots(db);
    let slowest = 0;
    for (const version of [events, events - 1, Math.ceil(events / 2), Math.ceil(events / 10)]) {
      let least = Infinity;
      for (let run = 0; run < 5; run++) {
        const started = performance.now();
        const state = await evaluationAt(store, evaluationId, { version }, snapshots);
        least = Math.min(least, performance.now() - started);
        if (state.status === 'NONE' || state.version !== version) throw new Error(`no state at ${version}`);
      }
      slowest = Math.max(slowest, least);
    }
    db.close();
    return { work: 'form at a version (events)', size: events, ms: slowest, rssMb: rssMb() };
  });
}

/**
 * Both evaluation read models rebuilt from every event by the operator's command (`npm run
 * projections:rebuild`, compiled as deployed, one pass over the log) in its own process, so its peak
 * memory is the rebuild's and not this process's, which generated the events.
 */
async function rebuildStep(events: number): Promise<Step> {
  return inFreshStore(async (store, dir) => {
    const form = exampleForm();
    for (let i = 0; i < events / EVENTS_PER_FORM; i++) {
      const generated = generatedEvaluationEvents(form, i, EVENTS_PER_FORM);
      await store.appendToStream(evaluationStreamId(generated.evaluationId), generated.events, {
        expectedRevision: 'no_stream',
      });
    }
    const output = execFileSync(
      process.execPath,
      ['dist/apps/api/apps/api/src/cli/rebuild-projections.js', 'evaluation-summaries', 'audit-history'],
      { env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const lines = [...output.matchAll(/^([\w-]+): generation \d+, (\d+) events in (\d+) ms/gm)];
    if (lines.length !== 2 || lines.some((line) => Number(line[2]) !== events))
      throw new Error(`rebuild did not see ${events} events:\n${output}`);
    const peak = /peak resident memory (\d+) MB/.exec(output);
    if (!peak) throw new Error(`rebuild printed no peak memory:\n${output}`);
    return {
      work: 'rebuild of both read models (events)',
      size: events,
      ms: Number(lines[0][3]),
      rssMb: Number(peak[1]),
    };
  });
}

function printTable(steps: Step[]): void {
  const rows = steps.map((step) => {
    const first = steps.find((s) => s.work === step.work)!;
    const perUnit = step.ms / step.size;
    const growth = perUnit / (first.ms / first.size);
    return [
      step.work,
      step.size.toLocaleString('en'),
      `${Math.round(step.ms)} ms`,
      `× ${growth.toFixed(2)}`,
      `${step.rssMb} MB`,
    ];
  });
  const header = ['work', 'size', 'time', 'per unit vs smallest', 'RSS (rebuild: its peak)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
}

export async function scaleBenchmarks(): Promise<Record<string, number>> {
  const rebuildSizes = (process.env.BENCH_SCALE_EVENTS ?? '100000,1000000,10000000')
    .split(',')
    .map((n) => Number(n.trim()))
    .filter((n) => Number.isInteger(n) && n >= EVENTS_PER_FORM);
  const steps: Step[] = [];
  for (const departments of [200, 2000, 20000]) steps.push(await reportStep(departments));
  for (const events of [1000, 10000]) steps.push(await stateAtVersionStep(events));
  if (rebuildSizes.length > 0) buildApi();
  for (const events of rebuildSizes) steps.push(await rebuildStep(events));
  printTable(steps);

  const results: Record<string, number> = {};
  const key = (step: Step) =>
    step.work.startsWith('district')
      ? `scale.reportMs.${step.size}`
      : step.work.startsWith('form')
        ? `scale.stateAtVersionMs.${step.size}`
        : `scale.rebuildMs.${step.size}`;
  for (const step of steps) {
    results[key(step)] = Math.round(step.ms * 100) / 100;
    results[`${key(step).replace(/Ms\./, 'RssMb.')}`] = step.rssMb;
  }
  return results;
}

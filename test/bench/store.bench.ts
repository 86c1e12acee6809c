import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import {
  ProjectionRunner,
  SqliteEventStore,
  createGeneration,
  openReadModelDatabase,
  physicalTable,
  rebuildProjection,
  type StoredEvent,
} from '@app/event-store';
import {
  EvaluationStateCache,
  evaluationAt,
  evaluationStreamId,
  handleEvaluationCommand,
} from '@app/application';
import { AuditHistoryProjection, EvaluationSummariesProjection, RegistryProjection } from '@app/read-models';
import { generatedEvaluationEvents } from '@app/application/testing/generated-history';
import type { Actor, EvaluationCommand } from '@app/domain';
import { exampleForm } from '@app/domain/testing/fixtures';

const FORMS = 1000;
const COMMANDS = 4000;
const CONCURRENT_CLIENTS = 50;
const REBUILD_FORMS = 1000;
const REBUILD_EVENTS_PER_FORM = 1000;

const round = (n: number) => Math.round(n * 100) / 100;

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'perf-eval-bench-'));
}

/** 1,000 imported forms, as the edit benchmarks' starting point. */
async function seedForms(store: SqliteEventStore): Promise<string[]> {
  const form = exampleForm();
  const ids: string[] = [];
  for (let i = 0; i < FORMS; i++) {
    const { evaluationId, events } = generatedEvaluationEvents(form, i, 1);
    await store.appendToStream(evaluationStreamId(evaluationId), events, { expectedRevision: 'no_stream' });
    ids.push(evaluationId);
  }
  return ids;
}

function editCommand(evaluationId: string, version: number, n: number): EvaluationCommand {
  const department = evaluationId.split('.')[0];
  const actor: Actor = { id: `clerk-${department}`, role: 'DEPARTMENT', department };
  return {
    type: 'UpdateIndicator',
    data: { rowId: `r${(n % 7) + 1}`, changes: { actual: String(100 + n) } },
    metadata: { actor, now: new Date(), expectedVersion: version },
  };
}

/** Edit commands through the whole read–fold–decide–append path, by `clients` concurrent clients. */
async function commandsPerSecond(
  store: SqliteEventStore,
  ids: string[],
  versions: Map<string, number>,
  clients: number,
): Promise<number> {
  let issued = 0;
  const cache = new EvaluationStateCache();
  const client = async (c: number) => {
    for (let k = 0; ; k++) {
      const n = issued++;
      if (n >= COMMANDS) return;
      // Each client works on its own forms, as clerks of different departments do.
      const id = ids[(c + k * clients) % ids.length];
      const outcome = await handleEvaluationCommand(store, id, editCommand(id, versions.get(id)!, n), {
        correlationId: randomUUID(),
        commandId: randomUUID(),
        cache,
      });
      versions.set(id, outcome.state.version);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  return COMMANDS / ((performance.now() - start) / 1000);
}

/** The physical limit: the same rows by raw better-sqlite3, WAL + synchronous FULL, one transaction each. */
function rawSqliteCommandsPerSecond(file: string): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE, stream_id TEXT, revision INTEGER,
    type TEXT, schema_version INTEGER, data TEXT, metadata TEXT, previous_hash TEXT, hash TEXT, UNIQUE (stream_id, revision));
    CREATE TABLE streams (stream_id TEXT PRIMARY KEY, revision INTEGER, last_hash TEXT);`);
  const insert = db.prepare('INSERT INTO events VALUES (NULL, ?, ?, ?, ?, 1, ?, ?, ?, ?)');
  const head = db.prepare('INSERT OR REPLACE INTO streams VALUES (?, ?, ?)');
  const data = JSON.stringify({
    evaluationId: 'x',
    rowId: 'r1',
    before: { actual: '1' },
    after: { actual: '2' },
  });
  const metadata = JSON.stringify({
    actor: { id: 'a', role: 'DEPARTMENT' },
    correlationId: 'c',
    causationId: 'c',
    occurredAt: new Date().toISOString(),
  });
  const hash = 'f'.repeat(64);
  const command = db.transaction((n: number) => {
    insert.run(randomUUID(), `s-${n % FORMS}`, n, 'IndicatorChanged', data, metadata, hash, hash);
    head.run(`s-${n % FORMS}`, n, hash);
  });
  const start = performance.now();
  for (let n = 0; n < COMMANDS; n++) command(n);
  const rate = COMMANDS / ((performance.now() - start) / 1000);
  db.close();
  return rate;
}

/**
 * What one edit costs the summaries projection (summary row, stored state, district dashboard) in a
 * district of `forms` forms: each edit applied as its own batch, as under light live load.
 */
async function summaryEditMicros(forms: number): Promise<number> {
  const dir = tempDir();
  const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
  const form = exampleForm();
  const editsPerForm = Math.ceil(4000 / forms);
  for (let i = 0; i < forms; i++) {
    const { evaluationId, events } = generatedEvaluationEvents(form, i, 1 + editsPerForm);
    await store.appendToStream(evaluationStreamId(evaluationId), events, { expectedRevision: 'no_stream' });
  }
  const all: StoredEvent[] = [];
  for (let page = await store.readAll({ after: null, maxCount: 1000 }); page.length > 0;) {
    all.push(...page);
    page = await store.readAll({ after: page[page.length - 1].position, maxCount: 1000 });
  }
  const db = openReadModelDatabase(path.join(dir, 'read-models.sqlite'));
  const projection = new EvaluationSummariesProjection();
  createGeneration(db, projection, 1);
  const t = (name: string) => physicalTable(name, 1);
  const apply = db.transaction((events: StoredEvent[]) => projection.applyBatch(db, t, events));
  apply(all.filter((e) => e.revision === 0));
  const edits = all.filter((e) => e.revision > 0);
  // The first half warms the code up; the second is measured.
  for (const edit of edits.splice(0, edits.length / 2)) apply([edit]);
  const start = performance.now();
  for (const edit of edits) apply([edit]);
  const micros = ((performance.now() - start) * 1000) / edits.length;
  db.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return micros;
}

export async function storeBenchmarks(): Promise<Record<string, number>> {
  const results: Record<string, number> = {};

  {
    const dir = tempDir();
    const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    const ids = await seedForms(store);
    const versions = new Map(ids.map((id) => [id, 1]));
    results['store.commandsPerSec'] = Math.round(await commandsPerSecond(store, ids, versions, 1));
    results['store.concurrentCommandsPerSec'] = Math.round(
      await commandsPerSecond(store, ids, versions, CONCURRENT_CLIENTS),
    );
    await store.close();
    results['store.rawSqliteCommandsPerSec'] = Math.round(
      rawSqliteCommandsPerSecond(path.join(dir, 'raw.sqlite')),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }

  {
    const dir = tempDir();
    const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
    const form = exampleForm();
    let firstId = '';
    for (let i = 0; i < REBUILD_FORMS; i++) {
      const { evaluationId, events } = generatedEvaluationEvents(form, i, REBUILD_EVENTS_PER_FORM);
      firstId ||= evaluationId;
      await store.appendToStream(evaluationStreamId(evaluationId), events, { expectedRevision: 'no_stream' });
    }
    const db = openReadModelDatabase(path.join(dir, 'read-models.sqlite'));
    const rates: number[] = [];
    for (const projection of [new EvaluationSummariesProjection(), new AuditHistoryProjection()]) {
      const result = await rebuildProjection(store, db, projection);
      const rate = result.events / (result.millis / 1000);
      results[`projections.rebuild.${projection.name}.eventsPerSec`] = Math.round(rate);
      rates.push(rate);
    }
    results['projections.rebuildEvents'] = REBUILD_FORMS * REBUILD_EVENTS_PER_FORM;
    results['projections.rebuildEventsPerSec'] = Math.round(Math.min(...rates));
    results['scale.rssMb'] = Math.round(process.memoryUsage().rss / 1024 / 1024);

    const runs = 20;
    const start = performance.now();
    for (let i = 0; i < runs; i++) await evaluationAt(store, firstId, { version: 1000 - i });
    results['audit.stateAtVersionMs'] = round((performance.now() - start) / runs);
    // A read model of rare events (the registry) over the 1,000,000-event log: live after a first start,
    // then after a restart (its checkpoint moved past the events it does not read).
    const rareDb = openReadModelDatabase(path.join(dir, 'rare-read-models.sqlite'));
    for (const key of ['projections.rareFirstLiveMs', 'projections.rareRestartLiveMs']) {
      const runner = new ProjectionRunner(store, rareDb, [new RegistryProjection()]);
      const began = performance.now();
      await runner.start();
      await runner.waitUntilLive(600_000);
      results[key] = Math.round(performance.now() - began);
      await runner.stop();
    }
    rareDb.close();
    // The edit's cost must not grow with the district (dashboards are kept incrementally).
    results['projections.summaryEditUs.district50'] = Math.round(await summaryEditMicros(50));
    results['projections.summaryEditUs.district2000'] = Math.round(await summaryEditMicros(2000));
    db.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

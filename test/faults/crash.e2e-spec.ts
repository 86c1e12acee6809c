import * as path from 'node:path';
import {
  MAX_PAGE_SIZE,
  ProjectionRunner,
  SqliteEventStore,
  openReadModelDatabase,
  type StoredEvent,
} from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { evaluationStreamId, readEvaluation } from '@app/application';
import { AuditHistoryProjection, EvaluationSummariesProjection } from '@app/read-models';
import { generatedEvaluationEvents } from '@app/application/testing/generated-history';
import { scoreForm } from '@app/domain';
import { kill, startScript, waitForOutput } from './child-process';
import { exampleForm } from '@app/domain/testing/fixtures';

async function readEverything(store: SqliteEventStore): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (;;) {
    const page = await store.readAll({
      after: all.length ? all[all.length - 1].position : null,
      maxCount: MAX_PAGE_SIZE,
    });
    if (page.length === 0) return all;
    all.push(...page);
  }
}

describe('crashes (SIGKILL)', () => {
  let data: ReturnType<typeof tempDataDir>;
  const children: ReturnType<typeof startScript>[] = [];
  const start = (script: string, args: string[]) => {
    const child = startScript(script, args);
    children.push(child);
    return child;
  };
  beforeEach(() => (data = tempDataDir()));
  afterEach(async () => {
    // Never leave a child running, whatever happened in the test.
    await Promise.all(children.splice(0).map(kill));
    data.remove();
  });

  it('a writer killed mid-run leaves only whole batches, and every acknowledged append is there', async () => {
    const file = path.join(data.dir, 'events.sqlite');
    const writer = start('test/faults/append-writer.ts', [file]);
    const lines = await waitForOutput(writer, (_line, all) => all.length >= 300);
    await kill(writer);
    const acknowledged = lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));

    const store = new SqliteEventStore({ file });
    const events = await readEverything(store);
    const byStream = new Map<string, number>();
    for (const event of events) byStream.set(event.streamId, (byStream.get(event.streamId) ?? 0) + 1);
    expect([...byStream.values()].every((count) => count === 3)).toBe(true);
    for (const n of acknowledged) expect(byStream.get(`batch-${n}`)).toBe(3);
    expect(byStream.size).toBeGreaterThanOrEqual(acknowledged.length);
    await store.close();
  }, 60_000);

  it('projections killed mid-way resume from their checkpoint; the read model equals a fresh fold', async () => {
    const store = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite') });
    const form = exampleForm();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const { evaluationId, events } = generatedEvaluationEvents(form, i, 400);
      ids.push(evaluationId);
      for (let from = 0; from < events.length; from += 200) {
        await store.appendToStream(evaluationStreamId(evaluationId), events.slice(from, from + 200), {
          expectedRevision: from === 0 ? 'no_stream' : from - 1,
        });
      }
    }
    const head = (await store.headPosition())!;

    const child = start('test/faults/projection-runner.ts', [data.dir]);
    // Kill it once both projections have committed something but not everything.
    await waitForOutput(child, (line) => {
      const checkpoints = line.replace('progress ', '').split(' ');
      return checkpoints.every((c) => c !== '-' && BigInt(c.split('/')[0]) < head.commit);
    });
    await kill(child);

    const db = openReadModelDatabase(path.join(data.dir, 'read-models.sqlite'));
    const partial = db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get() as { n: number };
    expect(partial.n).toBeLessThan(24_000);
    const runner = new ProjectionRunner(store, db, [
      new EvaluationSummariesProjection(),
      new AuditHistoryProjection(),
    ]);
    await runner.start();
    expect(await runner.waitFor(head, { timeoutMs: 30_000 })).toBe(true);
    expect(runner.status().every((s) => s.status === 'RUNNING')).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get()).toEqual({ n: 24_000 });
    for (const id of ids) {
      const state = await readEvaluation(store, id);
      if (state.status === 'NONE') throw new Error(`missing ${id}`);
      const row = db
        .prepare('SELECT version, total, state FROM evaluation_summaries WHERE evaluation_id = ?')
        .get(id);
      expect(row).toEqual({
        version: state.version,
        total: scoreForm(state.form).total,
        state: state.status,
      });
    }
    await runner.stop();
    db.close();
    await store.close();
  }, 90_000);
});

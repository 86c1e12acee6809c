import * as path from 'node:path';
import {
  ProjectionRunner,
  SqliteEventStore,
  openReadModelDatabase,
  rebuildProjection,
  rebuildProjections,
  type SqliteDatabase,
} from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { newEvent } from '@app/event-store/testing/new-events';
import { dec, fixed, readEvaluationDocument, scoreForm, type EvaluationCommand } from '@app/domain';
import { handleEvaluationCommand } from '@app/application';
import { evaluationStreamId } from '@app/application';
import { readEvaluation } from '@app/application';
import {
  actors,
  context,
  DEPARTMENT,
  DISTRICT,
  EVALUATION_ID,
  exampleDocument,
  importExample,
  updateActual,
} from '@app/domain/testing/fixtures';
import { AuditHistoryProjection } from './audit-history.projection';
import { EvaluationSummariesProjection } from './evaluation-summaries.projection';

const WAIT = { timeoutMs: 5000 };

describe('evaluation read models', () => {
  let data: ReturnType<typeof tempDataDir>;
  let store: SqliteEventStore;
  let db: SqliteDatabase;
  let runner: ProjectionRunner;

  // Two forms kept in memory: the six-form walk below reads the others back from evaluation_states.
  const projections = () => [
    new EvaluationSummariesProjection({ keptForms: 2 }),
    new AuditHistoryProjection(),
  ];
  const run = async (command: EvaluationCommand, id = EVALUATION_ID, n = 1) => {
    const outcome = await handleEvaluationCommand(store, id, command, context(n));
    if (outcome.position)
      expect(await runner.waitFor(outcome.position, { streamId: evaluationStreamId(id), ...WAIT })).toBe(
        true,
      );
    return outcome;
  };
  const summary = (id = EVALUATION_ID) =>
    db.prepare('SELECT * FROM evaluation_summaries WHERE evaluation_id = ?').get(id) as Record<
      string,
      unknown
    >;

  beforeEach(async () => {
    data = tempDataDir();
    store = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite'), pollIntervalMs: 20 });
    db = openReadModelDatabase(path.join(data.dir, 'read-models.sqlite'));
    runner = new ProjectionRunner(store, db, projections());
    await runner.start();
  });
  afterEach(async () => {
    await runner.stop();
    await store.close();
    db.close();
    data.remove();
  });

  it('after a command, the summary reads its own write: state, scores and grade', async () => {
    await run(importExample());
    // Every column, each with a reader: the list's scope, filters and sorts, the dashboard's sums and
    // median, the crash tests' check (version, total).
    expect(summary()).toEqual({
      evaluation_id: EVALUATION_ID,
      year: 2021,
      department_code: DEPARTMENT.code,
      district_code: DISTRICT.code,
      state: 'DRAFT',
      version: 1,
      total: '98.35',
      grade: 'EXCELLENT',
      final_total: '98.35',
      final_total_hundredths: 9835,
      rate_hundredths: 8347,
      budget: '1081.19',
      executed: '902.42',
      upper_transfer: '0',
      updated_at: '2022-03-01T08:00:00.000Z',
    });
    await run({
      type: 'SubmitEvaluation',
      data: {},
      metadata: { actor: actors.clerk, now: new Date('2022-03-05T00:00:00Z'), expectedVersion: 1 },
    });
    await run({
      type: 'ApproveEvaluation',
      data: { adjustedTotal: '88', adjustmentReason: '执行率偏低' },
      metadata: { actor: actors.supervisor, now: new Date('2022-03-06T00:00:00Z'), expectedVersion: 2 },
    });
    expect(summary()).toMatchObject({
      state: 'APPROVED',
      version: 3,
      total: '98.35',
      final_total: '88.00',
      final_total_hundredths: 8800,
      grade: 'GOOD',
      updated_at: '2022-03-06T00:00:00.000Z',
    });
  });

  it('keeps the district dashboard: counts, average and median, grades, summed funding and the overall rate', async () => {
    await run(importExample());
    const doc = exampleDocument();
    doc.department = { code: 'other', name: '其他部门' };
    doc.funding.lines[0] = { source: '财政拨款', budget: '100', executed: '100', upperTransfer: '0' };
    await run(
      {
        type: 'ImportEvaluation',
        data: {
          evaluationId: 'other.2021',
          content: readEvaluationDocument(doc),
          department: doc.department,
          district: DISTRICT,
        },
        metadata: {
          actor: { id: 'c2', role: 'DEPARTMENT', department: 'other' },
          now: new Date('2022-03-01T00:00:00Z'),
        },
      },
      'other.2021',
    );
    const dashboard = db
      .prepare('SELECT * FROM district_dashboards WHERE district_code = ? AND year = 2021')
      .get(DISTRICT.code);
    expect(dashboard).toMatchObject({
      evaluations: 2,
      draft: 2,
      scored: 2,
      average_total: '99.18', // (98.35 + 100.00) / 2 = 99.175 → 99.18
      median_total: '99.18',
      excellent: 2,
      budget: '1181.19',
      executed: '1002.42',
      execution_rate_percent: '84.87', // 1002.42 / 1181.19 = 0.848653…
    });
  });

  it('keeps each district dashboard equal to one computed from scratch, edit after edit', async () => {
    // A seeded walk: forms imported, scores and executed funds edited, submitted, returned, approved with
    // or without an adjusted total, reopened; after each step the incremental dashboard is compared with
    // a full recomputation over the summaries (the test's own, in exact decimals).
    let seed = 20211231;
    // Park–Miller: exact in doubles; the high part picks, the low bits of such generators cycle fast.
    const random = (n: number) => ((seed = (seed * 16807) % 2147483647), Math.floor((seed / 2147483647) * n));
    const forms = Array.from({ length: 6 }, (_, i) => ({ code: `walk${i}`, version: 0, status: 'NONE' }));
    const supervisorAt = (now: Date) => ({ actor: actors.supervisor, now });
    const oracle = () => {
      const rows = db
        .prepare('SELECT * FROM evaluation_summaries WHERE district_code = ? AND year = 2021')
        .all(DISTRICT.code) as Array<Record<string, string | null>>;
      const totals = rows
        .filter((r) => r.final_total !== null)
        .map((r) => dec(r.final_total!))
        .sort((a, b) => a.comparedTo(b));
      const sum = (key: string) => rows.reduce((acc, r) => acc.plus(dec(r[key]!)), dec(0));
      const m = Math.floor(totals.length / 2);
      const count = (key: string, value: string) => rows.filter((r) => r[key] === value).length;
      return {
        evaluations: rows.length,
        draft: count('state', 'DRAFT'),
        submitted: count('state', 'SUBMITTED'),
        returned: count('state', 'RETURNED'),
        approved: count('state', 'APPROVED'),
        scored: totals.length,
        average_total: totals.length
          ? fixed(totals.reduce((a, b) => a.plus(b), dec(0)).div(totals.length))
          : null,
        median_total: totals.length
          ? fixed(totals.length % 2 ? totals[m] : totals[m - 1].plus(totals[m]).div(2))
          : null,
        excellent: count('grade', 'EXCELLENT'),
        good: count('grade', 'GOOD'),
        fair: count('grade', 'FAIR'),
        poor: count('grade', 'POOR'),
        budget: sum('budget').toFixed(),
        executed: sum('executed').toFixed(),
        upper_transfer: sum('upper_transfer').toFixed(),
        execution_rate_percent: sum('budget').isZero()
          ? null
          : fixed(sum('executed').minus(sum('upper_transfer')).div(sum('budget')).times(100)),
      };
    };
    const taken = new Set<string>();
    for (let step = 0; step < 200; step++) {
      const form = forms[random(forms.length)];
      const id = `${form.code}.2021`;
      const now = new Date(Date.UTC(2022, 2, 1, 0, step));
      const clerkOf = { id: `c-${form.code}`, role: 'DEPARTMENT' as const, department: form.code };
      let command: EvaluationCommand;
      if (form.version === 0) {
        const doc = exampleDocument();
        doc.department = { code: form.code, name: form.code };
        doc.funding.lines[0].budget = String(500 + random(1000));
        command = {
          type: 'ImportEvaluation',
          data: {
            evaluationId: id,
            content: readEvaluationDocument(doc),
            department: doc.department,
            district: DISTRICT,
          },
          metadata: { actor: clerkOf, now },
        };
      } else {
        const metadata = { actor: clerkOf, now, expectedVersion: form.version };
        const review = { ...supervisorAt(now), expectedVersion: form.version };
        // What a user could do next in this state (a refused step is skipped and writes nothing).
        const next: Record<string, EvaluationCommand[]> = {
          DRAFT: [
            {
              type: 'UpdateIndicator',
              data: { rowId: `r${1 + random(7)}`, changes: { score: String(random(6)) } },
              metadata,
            },
            {
              type: 'UpdateFunding',
              data: {
                lines: [
                  {
                    id: 'f1',
                    source: '财政拨款',
                    budget: String(400 + random(900)),
                    executed: String(300 + random(700)),
                    upperTransfer: String(random(50)),
                  },
                ],
              },
              metadata,
            },
            { type: 'SubmitEvaluation', data: {}, metadata },
          ],
          SUBMITTED: [
            { type: 'ReturnEvaluation', data: { comment: '请补充' }, metadata: review },
            {
              type: 'ApproveEvaluation',
              data: random(2) ? { adjustedTotal: String(55 + random(40)), adjustmentReason: '调整' } : {},
              metadata: review,
            },
          ],
          APPROVED: [{ type: 'ReopenEvaluation', data: { reason: '复核' }, metadata: review }],
        };
        next.RETURNED = next.DRAFT;
        const choices = next[form.status];
        command = choices[random(choices.length)];
      }
      try {
        const outcome = await run(command, id, step);
        form.version = outcome.state.version;
        form.status = outcome.state.status;
        taken.add(command.type);
      } catch {
        continue; // refused in this state: nothing was written
      }
      const dashboard = db
        .prepare('SELECT * FROM district_dashboards WHERE district_code = ? AND year = 2021')
        .get(DISTRICT.code);
      expect(dashboard).toMatchObject(oracle());
    }
    for (const form of forms.filter((f) => f.version > 0)) {
      const folded = await readEvaluation(store, `${form.code}.2021`);
      const kept = db
        .prepare('SELECT state FROM evaluation_states WHERE evaluation_id = ?')
        .get(`${form.code}.2021`) as { state: string };
      expect(JSON.parse(kept.state)).toEqual(JSON.parse(JSON.stringify(folded)));
    }
    expect([...taken].sort()).toEqual([
      'ApproveEvaluation',
      'ImportEvaluation',
      'ReopenEvaluation',
      'ReturnEvaluation',
      'SubmitEvaluation',
      'UpdateFunding',
      'UpdateIndicator',
    ]);
  });

  it('records the audit history with field-level changes', async () => {
    await run(importExample());
    await run(updateActual('r1', '7', 1), EVALUATION_ID, 2);
    const entries = db
      .prepare(
        'SELECT version, type, actor_id, correlation_id, changes FROM audit_entries WHERE evaluation_id = ? ORDER BY version',
      )
      .all(EVALUATION_ID) as Array<Record<string, string>>;
    expect(entries.map((e) => [e.version, e.type, e.actor_id])).toEqual([
      [1, 'EvaluationImported', 'clerk-1'],
      [2, 'IndicatorChanged', 'clerk-1'],
    ]);
    expect(JSON.parse(entries[1].changes)).toEqual([
      { path: 'indicators[r1].actual', before: '6', after: '7' },
    ]);
    expect(entries[1].correlation_id).toBe('corr-2');
  });

  it('an event it cannot apply stops the projection at that event, shown in its status, never skipped', async () => {
    await run(importExample());
    const bad = newEvent('IndicatorChanged', {
      evaluationId: EVALUATION_ID,
      rowId: 'r1',
      before: {},
      after: {},
    });
    await store.appendToStream(evaluationStreamId(EVALUATION_ID), [{ ...bad, schemaVersion: 99 }], {
      expectedRevision: 0,
    });
    const position = (await store.headPosition())!;
    expect(await runner.waitFor(position, { timeoutMs: 1000 })).toBe(false);
    const stopped = runner.status().filter((s) => s.status === 'STOPPED');
    expect(stopped.map((s) => s.name).sort()).toEqual(['audit-history', 'evaluation-summaries']);
    expect(stopped[0]).toMatchObject({
      failedEventId: bad.eventId,
      error: expect.stringContaining('no upcaster'),
    });
    expect(summary()).toMatchObject({ version: 1 });
  });

  it('a restarted runner resumes from its checkpoint and applies nothing twice', async () => {
    await run(importExample());
    await runner.stop();
    await handleEvaluationCommand(store, EVALUATION_ID, updateActual('r1', '7', 1), context(2));
    runner = new ProjectionRunner(store, db, projections());
    await runner.start();
    const head = (await store.headPosition())!;
    expect(await runner.waitFor(head, WAIT)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get()).toEqual({ n: 2 });
    expect(summary()).toMatchObject({ version: 2 });
  });

  it('a rebuild while running swaps in a fresh generation with the same content, and the runner carries on', async () => {
    await run(importExample());
    await run(updateActual('r1', '7', 1), EVALUATION_ID, 2);
    const before = {
      summary: summary(),
      audit: db.prepare('SELECT * FROM audit_entries ORDER BY version').all(),
    };
    // Both in one pass: the log is read no more often than for one of them alone.
    let logReads = 0;
    const counted = new Proxy(store, {
      get: (target, property) =>
        property === 'readAll'
          ? (options: Parameters<SqliteEventStore['readAll']>[0]) => (logReads++, target.readAll(options))
          : (Reflect.get(target, property) as unknown),
    });
    const results = await rebuildProjections(counted, db, projections());
    const readsForBoth = logReads;
    logReads = 0;
    await rebuildProjection(counted, db, new AuditHistoryProjection());
    expect(readsForBoth).toBe(logReads);
    expect(results).toMatchObject([
      { projection: 'evaluation-summaries', generation: 2, events: 2 },
      { projection: 'audit-history', generation: 2, events: 2 },
    ]);
    expect(summary()).toEqual(before.summary);
    expect(db.prepare('SELECT * FROM audit_entries ORDER BY version').all()).toEqual(before.audit);
    await run(updateActual('r1', '8', 2), EVALUATION_ID, 3);
    expect(summary()).toMatchObject({ version: 3 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get()).toEqual({ n: 3 });
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'audit_entries__g%'`)
      .all();
    expect(tables).toEqual([{ name: 'audit_entries__g3' }]);
  });

  it('a projection whose version changed rebuilds itself at start', async () => {
    await run(importExample());
    await runner.stop();
    db.prepare(`UPDATE projections SET version = 0 WHERE name = 'evaluation-summaries'`).run();
    db.prepare('DELETE FROM evaluation_summaries__g1').run();
    runner = new ProjectionRunner(store, db, projections());
    await runner.start();
    expect(
      db.prepare(`SELECT version, generation FROM projections WHERE name = 'evaluation-summaries'`).get(),
    ).toEqual({ version: new EvaluationSummariesProjection().version, generation: 2 });
    expect(summary()).toMatchObject({ total: '98.35' });
  });

  it('a dashboard carries the time of the last event that touched it, never the clock: rebuilt at another time, the rows are the same', async () => {
    const importFor = (department: { code: string; name: string }, district: typeof DISTRICT, at: string) => {
      const document = exampleDocument();
      document.department = department;
      document.district = district;
      const evaluationId = `${department.code}.2021`;
      const command: EvaluationCommand = {
        type: 'ImportEvaluation',
        data: { evaluationId, content: readEvaluationDocument(document), department, district },
        metadata: { actor: { id: 'c', role: 'DEPARTMENT', department: department.code }, now: new Date(at) },
      };
      return run(command, evaluationId);
    };
    const YUELU = { code: 'yuelu', name: '长沙市岳麓区' };
    await run(importExample(new Date('2022-03-01T08:00:00Z')), EVALUATION_ID, 1);
    await importFor({ code: 'other', name: '其他部门' }, DISTRICT, '2022-03-03T08:00:00Z');
    // Decided before the import above but appended after it: the log's order decides what is last.
    await run(updateActual('r1', '7', 1, new Date('2022-03-02T08:00:00Z')), EVALUATION_ID, 3);
    // Another district, later still: it must not lend its time to wangcheng's dashboard.
    await importFor({ code: 'yuelu-x', name: '岳麓某部门' }, YUELU, '2022-03-04T08:00:00Z');

    const dashboards = () =>
      db.prepare('SELECT * FROM district_dashboards ORDER BY district_code, year').all() as Array<
        Record<string, unknown>
      >;
    const live = dashboards();
    expect(live.map((row) => [row.district_code, row.evaluations, row.updated_at])).toEqual([
      [DISTRICT.code, 2, '2022-03-02T08:00:00.000Z'],
      [YUELU.code, 1, '2022-03-04T08:00:00.000Z'],
    ]);

    // Years later by the clock, every event in one batch instead of one batch per command.
    jest.useFakeTimers({
      now: new Date('2031-06-01T00:00:00Z'),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      expect(new Date().toISOString()).toBe('2031-06-01T00:00:00.000Z');
      const result = await rebuildProjection(store, db, new EvaluationSummariesProjection());
      expect(result).toMatchObject({ generation: 2, events: 4 });
    } finally {
      jest.useRealTimers();
    }
    expect(dashboards()).toEqual(live);
  });

  it('the summary equals a fresh fold of the events', async () => {
    await run(importExample());
    await run(updateActual('r3', '11', 1), EVALUATION_ID, 2);
    const state = await readEvaluation(store, EVALUATION_ID);
    if (state.status === 'NONE') throw new Error('missing');
    const score = scoreForm(state.form);
    expect(summary()).toMatchObject({
      version: state.version,
      total: score.total,
      final_total: score.total,
      rate_hundredths: Number(score.executionRatePercent!.replace('.', '')),
      state: state.status,
    });
  });
});

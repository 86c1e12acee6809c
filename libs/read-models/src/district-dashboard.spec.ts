import * as path from 'node:path';
import {
  SqliteEventStore,
  createGeneration,
  openReadModelDatabase,
  physicalTable,
  type SqliteDatabase,
  type StoredEvent,
} from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { evaluationStreamId } from '@app/application';
import { generatedEvaluationEvents } from '@app/application/testing/generated-history';
import { exampleForm } from '@app/domain/testing/fixtures';
import { EvaluationSummariesProjection } from './evaluation-summaries.projection';

/**
 * The dashboards keep their rows and each district's totals in memory between batches (for the median).
 * Memory must never outlive what the tables hold: a batch rolled back, another generation written.
 */
describe('district dashboards kept in memory between batches', () => {
  let data: ReturnType<typeof tempDataDir>;
  let store: SqliteEventStore;
  let db: SqliteDatabase;
  let events: StoredEvent[];
  beforeEach(async () => {
    data = tempDataDir();
    store = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite') });
    db = openReadModelDatabase(path.join(data.dir, 'read-models.sqlite'));
    // Four forms of one district, imported alike (the same total), then each of their scores edited.
    const form = exampleForm();
    for (let i = 0; i < 4; i++) {
      const { evaluationId, events: history } = generatedEvaluationEvents(
        form,
        i,
        form.indicators.length + 1,
      );
      const scored = history.map((event, n) => {
        if (n === 0) return event;
        const row = form.indicators[n - 1];
        const data = event.data as { rowId: string };
        return {
          ...event,
          data: {
            ...data,
            rowId: row.id,
            before: { score: row.score },
            after: { score: String((n + i) % 3) },
          },
        };
      });
      await store.appendToStream(evaluationStreamId(evaluationId), scored, { expectedRevision: 'no_stream' });
    }
    events = await store.readAll({ maxCount: 100 });
  });
  afterEach(async () => {
    db.close();
    await store.close();
    data.remove();
  });

  const t = (generation: number) => (table: string) => physicalTable(table, generation);
  const applied = (projection: EvaluationSummariesProjection, generation: number, batch: StoredEvent[]) =>
    db.transaction(() => projection.applyBatch(db, t(generation), batch))();
  const dashboards = (generation: number) =>
    db.prepare(`SELECT * FROM ${physicalTable('district_dashboards', generation)} ORDER BY 1, 2`).all();
  /** The dashboards of all the events applied at once by a fresh projection, into generation 9. */
  const fromScratch = () => {
    const fresh = new EvaluationSummariesProjection();
    createGeneration(db, fresh, 9);
    applied(fresh, 9, events);
    return dashboards(9);
  };
  const imports = () => events.filter((e) => e.revision === 0);
  const edits = () => events.filter((e) => e.revision > 0);

  it('after a batch rolled back and reset(), the same batch applied again counts once', () => {
    const projection = new EvaluationSummariesProjection();
    createGeneration(db, projection, 1);
    applied(projection, 1, imports());
    // The batch is applied, then its transaction fails (as a commit can): the runner resets the projection.
    expect(() =>
      db.transaction(() => {
        projection.applyBatch(db, t(1), edits());
        throw new Error('the commit failed');
      })(),
    ).toThrow('the commit failed');
    projection.reset();
    applied(projection, 1, edits());
    expect(dashboards(1)).toEqual(fromScratch());
    expect(dashboards(1)).toMatchObject([{ evaluations: 4, scored: 4 }]);
  });

  it('a new generation is filled from its own tables, not from what the previous one kept', () => {
    const projection = new EvaluationSummariesProjection();
    for (const generation of [1, 2]) {
      createGeneration(db, projection, generation);
      applied(projection, generation, imports());
      applied(projection, generation, edits());
    }
    expect(dashboards(2)).toEqual(fromScratch());
    expect(dashboards(1)).toEqual(dashboards(2));
  });

  it('a total to take out that memory does not hold fails the batch instead of skewing the median', () => {
    const projection = new EvaluationSummariesProjection();
    createGeneration(db, projection, 1);
    applied(projection, 1, imports());
    // The tables repaired behind the projection's back: a form's stored total no longer matches memory.
    db.prepare(`UPDATE ${physicalTable('evaluation_summaries', 1)} SET final_total = '1.00'`).run();
    expect(() => applied(projection, 1, edits())).toThrow(/no kept total 1\.00 to take out/);
  });
});

import * as path from 'node:path';
import {
  SqliteEventStore,
  openReadModelDatabase,
  rebuildProjection,
  type SqliteDatabase,
} from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { countingReads, type CountedRead } from '@app/event-store/testing/counting-reads';
import { evaluationStreamId, readEvaluation, readEvaluationVersions } from '@app/application';
import { generatedEvaluationEvents } from '@app/application/testing/generated-history';
import { exampleForm } from '@app/domain/testing/fixtures';
import { EvaluationSummariesProjection, SNAPSHOT_EVERY } from './evaluation-summaries.projection';
import { SqliteEvaluationSnapshots } from './evaluation-snapshots';

const eventsIn = (reads: CountedRead[]) => reads.reduce((n, read) => n + read.events, 0);

describe('snapshots of long histories (evaluation_snapshots)', () => {
  const LENGTH = 1234;
  let data: ReturnType<typeof tempDataDir>;
  let store: SqliteEventStore;
  let db: SqliteDatabase;
  let id: string;
  beforeAll(async () => {
    data = tempDataDir();
    store = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite') });
    db = openReadModelDatabase(path.join(data.dir, 'read-models.sqlite'));
    const long = generatedEvaluationEvents(exampleForm(), 0, LENGTH);
    id = long.evaluationId;
    for (let i = 0; i < LENGTH; i += 1000)
      await store.appendToStream(evaluationStreamId(id), long.events.slice(i, i + 1000), {
        expectedRevision: i === 0 ? 'no_stream' : i - 1,
      });
    const short = generatedEvaluationEvents(exampleForm(), 1, 3);
    await store.appendToStream(evaluationStreamId(short.evaluationId), short.events, {
      expectedRevision: 'no_stream',
    });
    await rebuildProjection(store, db, new EvaluationSummariesProjection());
  });
  afterAll(async () => {
    await store.close();
    db.close();
    data.remove();
  });

  it('are kept every SNAPSHOT_EVERY versions, each the fold of the events before it', async () => {
    const kept = db.prepare('SELECT evaluation_id, version FROM evaluation_snapshots ORDER BY version').all();
    expect(kept).toEqual([
      { evaluation_id: id, version: SNAPSHOT_EVERY },
      { evaluation_id: id, version: 2 * SNAPSHOT_EVERY },
    ]);
    const snapshots = new SqliteEvaluationSnapshots(db);
    for (const version of [SNAPSHOT_EVERY, 2 * SNAPSHOT_EVERY]) {
      const snapshot = snapshots.atOrBefore(id, version + 17)!;
      expect(snapshot.version).toBe(version);
      expect(snapshot.state).toEqual(
        JSON.parse(JSON.stringify(await readEvaluation(store, id, { version }))),
      );
    }
    expect(snapshots.atOrBefore(id, SNAPSHOT_EVERY - 1)).toBeNull();
  });

  it('a fold to any version gives what the fold from the first event gives, reading at most SNAPSHOT_EVERY events', async () => {
    const snapshots = new SqliteEvaluationSnapshots(db);
    for (const version of [1, 499, 500, 501, 999, 1000, 1001, LENGTH - 1, LENGTH, LENGTH + 50]) {
      const counted = countingReads(store);
      const fast = await readEvaluation(counted.store, id, { version, snapshots });
      expect(eventsIn(counted.reads)).toBeLessThanOrEqual(SNAPSHOT_EVERY);
      expect(JSON.parse(JSON.stringify(fast))).toEqual(
        JSON.parse(JSON.stringify(await readEvaluation(store, id, { version }))),
      );
    }
    const both = await readEvaluationVersions(store, id, [1100, 600], snapshots);
    expect(JSON.parse(JSON.stringify(both))).toEqual(
      JSON.parse(JSON.stringify(await readEvaluationVersions(store, id, [1100, 600]))),
    );
  });

  it('are not used for a form at an instant (events need not be in time order), which folds from the first', async () => {
    const counted = countingReads(store);
    const snapshots = new SqliteEvaluationSnapshots(db);
    await readEvaluation(counted.store, id, { at: new Date('2030-01-01'), snapshots });
    expect(eventsIn(counted.reads)).toBe(LENGTH);
  });
});

import * as path from 'node:path';
import {
  SqliteEventStore,
  type EventStore,
  type ReadStreamOptions,
  type StoredEvent,
} from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { countingReads } from '@app/event-store/testing/counting-reads';
import { diffForms, foldEvaluation, type Evaluation } from '@app/domain';
import { handleEvaluationCommand } from '../evaluation/handle-command';
import { evaluationStreamId, toDomainEvent } from '../evaluation/evaluation-stream';
import { readEvaluationVersions, readStreamPages } from '../evaluation/read-evaluation';
import { context, EVALUATION_ID, importExample, updateActual } from '@app/domain/testing/fixtures';
import {
  evaluationAt,
  evaluationDiff,
  evaluationExists,
  verifyEvaluationIntegrity,
} from './evaluation-audit';

const STREAM = evaluationStreamId(EVALUATION_ID);

/** Just enough of a store to read these events as one stream (forwards, by revision). */
function streamOf(events: StoredEvent[]): EventStore {
  return {
    readStream: async (_streamId: string, options: ReadStreamOptions) =>
      events.filter((event) => event.revision >= (options.fromRevision ?? 0)).slice(0, options.maxCount),
  } as unknown as EventStore;
}

/** The form at a version by the plainest means: every stored event read, the first `version` folded. */
async function foldedAt(store: EventStore, version: number): Promise<Evaluation> {
  const events: StoredEvent[] = [];
  for await (const event of readStreamPages(store, STREAM)) events.push(event);
  return foldEvaluation(events.filter((e) => e.revision < version).map(toDomainEvent));
}

/** The diff as it was computed before it folded once: each side folded on its own. */
async function diffOfTwoReads(store: EventStore, fromVersion: number, toVersion: number) {
  const from = await foldedAt(store, fromVersion);
  const to = await foldedAt(store, toVersion);
  if (to.status === 'NONE') return [];
  return diffForms(from.status === 'NONE' ? null : from.form, to.form);
}

describe('audit at the store level', () => {
  let data: ReturnType<typeof tempDataDir>;
  let store: SqliteEventStore;

  beforeEach(async () => {
    data = tempDataDir();
    store = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite') });
    await handleEvaluationCommand(
      store,
      EVALUATION_ID,
      importExample(new Date('2022-03-01T08:00:00Z')),
      context(1),
    );
    await handleEvaluationCommand(
      store,
      EVALUATION_ID,
      updateActual('r1', '7', 1, new Date('2022-03-02T08:00:00Z')),
      context(2),
    );
    await handleEvaluationCommand(
      store,
      EVALUATION_ID,
      updateActual('r1', '8', 2, new Date('2022-03-03T08:00:00Z')),
      context(3),
    );
  });
  afterEach(async () => {
    await store.close();
    data.remove();
  });

  it('shows the form as it was at a version and at an instant', async () => {
    const atImport = await evaluationAt(store, EVALUATION_ID, { version: 1 });
    const onTheSecond = await evaluationAt(store, EVALUATION_ID, { at: new Date('2022-03-02T12:00:00Z') });
    const beforeAnything = await evaluationAt(store, EVALUATION_ID, { at: new Date('2022-01-01T00:00:00Z') });
    if (atImport.status === 'NONE' || onTheSecond.status === 'NONE') throw new Error('not found');
    expect(atImport.form.indicators[0].actual).toBe('6');
    expect(onTheSecond).toMatchObject({ version: 2 });
    expect(onTheSecond.form.indicators[0].actual).toBe('7');
    expect(beforeAnything.status).toBe('NONE');
  });

  it('diffs two versions field by field', async () => {
    expect(await evaluationDiff(store, EVALUATION_ID, 1, 3)).toEqual([
      { path: 'indicators[r1].actual', before: '6', after: '8' },
    ]);
  });

  it('verifies the hash chain, and names the version of an event altered in the database', async () => {
    expect(await verifyEvaluationIntegrity(store, EVALUATION_ID)).toEqual({
      ok: true,
      checkedEvents: 3,
      firstBrokenVersion: null,
    });
    store.database
      .prepare(
        `UPDATE events SET data = replace(data, '"actual":"7"', '"actual":"9"') WHERE stream_id = ? AND revision = 1`,
      )
      .run(evaluationStreamId(EVALUATION_ID));
    expect(await verifyEvaluationIntegrity(store, EVALUATION_ID)).toEqual({
      ok: false,
      checkedEvents: 2,
      firstBrokenVersion: 2,
    });
  });

  it('detects a removed event too', async () => {
    store.database
      .prepare('DELETE FROM events WHERE stream_id = ? AND revision = 1')
      .run(evaluationStreamId(EVALUATION_ID));
    expect(await verifyEvaluationIntegrity(store, EVALUATION_ID)).toMatchObject({
      ok: false,
      firstBrokenVersion: 2,
    });
  });

  it('a diff reads the stream once, one page, no further than the later version', async () => {
    const { store: counted, reads } = countingReads(store);
    expect(await evaluationDiff(counted, EVALUATION_ID, 1, 3)).toEqual([
      { path: 'indicators[r1].actual', before: '6', after: '8' },
    ]);
    expect(reads.filter((read) => read.streamId === STREAM)).toHaveLength(1);

    reads.length = 0;
    expect(await evaluationDiff(counted, EVALUATION_ID, 2, 1)).toEqual([
      { path: 'indicators[r1].actual', before: '7', after: '6' },
    ]);
    expect(reads).toEqual([{ streamId: STREAM, options: { fromRevision: 0, maxCount: 2 }, events: 2 }]);

    reads.length = 0;
    expect(await evaluationDiff(counted, EVALUATION_ID, 0, 0)).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('a diff is what reading each of its versions on its own gives: before the first event, past the end, backwards', async () => {
    for (let from = -1; from <= 5; from++) {
      for (let to = -1; to <= 5; to++) {
        expect([from, to, await evaluationDiff(store, EVALUATION_ID, from, to)]).toEqual([
          from,
          to,
          await diffOfTwoReads(store, from, to),
        ]);
      }
    }
    expect(await evaluationDiff(store, 'nobody.2021', 0, 3)).toEqual([]);
  });

  it('with an event removed in the database, a diff still answers as two separate reads did', async () => {
    store.database.prepare('DELETE FROM events WHERE stream_id = ? AND revision = 1').run(STREAM);
    for (let from = 0; from <= 4; from++)
      for (let to = 0; to <= 4; to++)
        expect(await evaluationDiff(store, EVALUATION_ID, from, to)).toEqual(
          await diffOfTwoReads(store, from, to),
        );
  });

  it('readEvaluationVersions gives the state at each version, in the order asked, from one read', async () => {
    const versions = [3, 0, 1, 7, 1, -2, 2];
    const { store: counted, reads } = countingReads(store);
    const states = await readEvaluationVersions(counted, EVALUATION_ID, versions);
    expect(reads).toHaveLength(1);
    expect(states).toEqual(await Promise.all(versions.map((version) => foldedAt(store, version))));
    expect(states.map((state) => state.version)).toEqual([3, 0, 1, 3, 1, 0, 2]);
    expect(await readEvaluationVersions(store, EVALUATION_ID, [])).toEqual([]);
  });

  it('readEvaluationVersions over a stream longer than a page reads each page once and stops after the highest version', async () => {
    const [imported, ...edits] = await store.readStream(STREAM, { maxCount: 10 });
    const events: StoredEvent[] = [imported];
    for (let revision = 1; revision < 2500; revision++)
      events.push({ ...edits[revision % 2], revision, eventId: `e-${revision}` });
    const long = streamOf(events);
    const versions = [1, 999, 1000, 1001, 2000, 2001, 3000];
    const { store: counted, reads } = countingReads(long);
    const states = await readEvaluationVersions(counted, EVALUATION_ID, versions);
    expect(states).toEqual(await Promise.all(versions.map((version) => foldedAt(long, version))));
    expect(reads.map((read) => [read.options.fromRevision, read.events])).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 500],
    ]);

    reads.length = 0;
    await evaluationDiff(counted, EVALUATION_ID, 1001, 999);
    expect(reads.map((read) => [read.options.fromRevision, read.events])).toEqual([
      [0, 1000],
      [1000, 1],
    ]);
  });

  it('tells whether a form exists from one event, and a form with no events checks none', async () => {
    const { store: counted, reads } = countingReads(store);
    expect(await evaluationExists(counted, EVALUATION_ID)).toBe(true);
    expect(await evaluationExists(counted, 'nobody.2021')).toBe(false);
    expect(reads.map((read) => read.options.maxCount)).toEqual([1, 1]);
    expect(await verifyEvaluationIntegrity(store, 'nobody.2021')).toEqual({
      ok: true,
      checkedEvents: 0,
      firstBrokenVersion: null,
    });
  });
});

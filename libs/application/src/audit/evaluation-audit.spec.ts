import * as path from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { handleEvaluationCommand } from '../evaluation/handle-command';
import { evaluationStreamId } from '../evaluation/evaluation-stream';
import { EVALUATION_ID, context, importExample, updateActual } from '../testing/fixtures';
import { evaluationAt, evaluationDiff, verifyEvaluationIntegrity } from './evaluation-audit';

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
});

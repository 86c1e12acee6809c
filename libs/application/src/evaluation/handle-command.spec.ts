import * as path from 'node:path';
import { SqliteEventStore, type EventStore } from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { countingReads } from '@app/event-store/testing/counting-reads';
import { ConcurrentChange, VersionConflict, type Actor, type EvaluationCommand } from '@app/domain';
import { moveCycleDeadline, openCycle, readCycle } from '../cycle/cycles';
import { handleEvaluationCommand } from './handle-command';
import { registerDepartment, registerDistrict } from '../registry/registry';
import { EvaluationStateCache, readEvaluation } from './read-evaluation';
import {
  actors,
  context,
  DEPARTMENT,
  DISTRICT,
  EVALUATION_ID,
  importExample,
  updateActual,
} from '@app/domain/testing/fixtures';
import { evaluationStreamId } from './evaluation-stream';

const admin: Actor = { id: 'admin-1', role: 'ADMIN' };
const now = new Date('2022-03-01T08:00:00Z');

describe('read, fold, decide, append on the embedded store, for every aggregate', () => {
  let data: ReturnType<typeof tempDataDir>;
  let store: SqliteEventStore;

  beforeEach(() => {
    data = tempDataDir();
    store = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    data.remove();
  });

  it('records the import with actor, time, correlation and causation in the metadata', async () => {
    const outcome = await handleEvaluationCommand(store, EVALUATION_ID, importExample(), context(7));
    expect(outcome.state).toMatchObject({ status: 'DRAFT', version: 1 });
    const [stored] = await store.readStream(evaluationStreamId(EVALUATION_ID), { maxCount: 10 });
    expect(stored.type).toBe('EvaluationImported');
    expect(stored.metadata).toEqual({
      actor: { id: actors.clerk.id, role: 'DEPARTMENT' },
      correlationId: 'corr-7',
      causationId: 'cmd-7',
      occurredAt: '2022-03-01T08:00:00.000Z',
    });
  });

  it('two clerks editing the same version: one is saved, the other gets VERSION_CONFLICT with the current version', async () => {
    await handleEvaluationCommand(store, EVALUATION_ID, importExample(), context());
    const results = await Promise.allSettled([
      handleEvaluationCommand(store, EVALUATION_ID, updateActual('r1', '7', 1), context(2)),
      handleEvaluationCommand(store, EVALUATION_ID, updateActual('r2', '24', 1), context(3)),
    ]);
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(VersionConflict);
    expect(lost[0].reason).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    const state = await readEvaluation(store, EVALUATION_ID);
    expect(state.version).toBe(2);
  });

  it('a command that changes nothing appends nothing', async () => {
    await handleEvaluationCommand(store, EVALUATION_ID, importExample(), context());
    const outcome = await handleEvaluationCommand(
      store,
      EVALUATION_ID,
      updateActual('r1', '6', 1),
      context(2),
    );
    expect(outcome.position).toBeNull();
    expect(await store.readStream(evaluationStreamId(EVALUATION_ID), { maxCount: 10 })).toHaveLength(1);
  });

  it('a refused command leaves the stream as it was', async () => {
    await handleEvaluationCommand(store, EVALUATION_ID, importExample(), context());
    await expect(
      handleEvaluationCommand(store, EVALUATION_ID, updateActual('r99', '1', 1), context(2)),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(
      handleEvaluationCommand(store, EVALUATION_ID, importExample(), context(3)),
    ).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    expect(await store.readStream(evaluationStreamId(EVALUATION_ID), { maxCount: 10 })).toHaveLength(1);
  });

  it("a form out of the caller's scope is refused exactly like a missing one, naming the id asked for", async () => {
    await handleEvaluationCommand(store, EVALUATION_ID, importExample(), context());
    const otherClerk: Actor = { id: 'clerk-9', role: 'DEPARTMENT', department: 'wangcheng-other' };
    const asOther = (command: EvaluationCommand): EvaluationCommand => ({
      ...command,
      metadata: { ...command.metadata, actor: otherClerk },
    });
    const refusal = (id: string) =>
      handleEvaluationCommand(store, id, asOther(updateActual('r1', '7', 1)), context(2)).catch(
        (error: Error & { code: string }) => ({ code: error.code, message: error.message }),
      );
    const outOfScope = await refusal(EVALUATION_ID);
    const missing = await refusal('wangcheng-nobody.2021');
    expect(outOfScope).toEqual({ code: 'NOT_FOUND', message: `评价表 ${EVALUATION_ID} 不存在` });
    expect(missing).toEqual({ code: 'NOT_FOUND', message: '评价表 wangcheng-nobody.2021 不存在' });
  });

  it('with a state cache, a command still sees what another process appended meanwhile', async () => {
    const cache = new EvaluationStateCache();
    const other = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite') });
    await handleEvaluationCommand(store, EVALUATION_ID, importExample(), { ...context(), cache });
    await handleEvaluationCommand(other, EVALUATION_ID, updateActual('r1', '7', 1), context(2));
    await expect(
      handleEvaluationCommand(store, EVALUATION_ID, updateActual('r2', '24', 1), { ...context(3), cache }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    const outcome = await handleEvaluationCommand(store, EVALUATION_ID, updateActual('r2', '24', 2), {
      ...context(4),
      cache,
    });
    if (outcome.state.status === 'NONE') throw new Error('missing');
    expect(outcome.state.version).toBe(3);
    expect(outcome.state.form.indicators.slice(0, 2).map((r) => r.actual)).toEqual(['7', '24']);
    await other.close();
  });

  it('a caller who saw the version the cache holds is decided on it without reading the stream', async () => {
    const cache = new EvaluationStateCache();
    const { store: counted, reads } = countingReads(store);
    await handleEvaluationCommand(counted, EVALUATION_ID, importExample(), { ...context(), cache });
    reads.length = 0;
    const outcome = await handleEvaluationCommand(counted, EVALUATION_ID, updateActual('r1', '7', 1), {
      ...context(2),
      cache,
    });
    expect(outcome.version).toBe(2);
    expect(reads).toEqual([]);
    // a caller who saw another version is decided on the stream as it is
    await expect(
      handleEvaluationCommand(counted, EVALUATION_ID, updateActual('r2', '24', 1), { ...context(3), cache }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect(reads.length).toBeGreaterThan(0);
  });

  it('on the cached version, a command that would change nothing or be refused is decided on the stream: another process’s append is a conflict', async () => {
    const cache = new EvaluationStateCache();
    const imported = await handleEvaluationCommand(store, EVALUATION_ID, importExample(), {
      ...context(),
      cache,
    });
    if (imported.state.status === 'NONE') throw new Error('missing');
    const unchanged = imported.state.form.indicators[0].actual;
    const other = new SqliteEventStore({ file: path.join(data.dir, 'events.sqlite') });
    await handleEvaluationCommand(other, EVALUATION_ID, updateActual('r2', '24', 1), context(2));
    // the same value again: nothing to append on the cached form
    await expect(
      handleEvaluationCommand(store, EVALUATION_ID, updateActual('r1', unchanged, 1), {
        ...context(3),
        cache,
      }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    // a row the cached form does not have: refused there
    await expect(
      handleEvaluationCommand(store, EVALUATION_ID, updateActual('r999', '1', 1), { ...context(4), cache }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    await other.close();
  });

  // A command that lost a race without having seen a version is decided again on the newer state, so
  // the loser hears what the domain says about that state, never a storage conflict.
  const outcomes = async (runs: Array<Promise<unknown>>) => {
    const settled = await Promise.allSettled(runs);
    return {
      won: settled.filter((s) => s.status === 'fulfilled').length,
      lost: settled
        .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
        .map((s) => ({ code: s.reason.code, message: s.reason.message })),
    };
  };

  it('two admins registering one district at once: one registers it, the other hears it is registered', async () => {
    const register = (n: number) =>
      registerDistrict(
        store,
        { type: 'RegisterDistrict', data: DISTRICT, metadata: { actor: admin, now } },
        context(n),
      );
    expect(await outcomes([register(1), register(2)])).toEqual({
      won: 1,
      lost: [{ code: 'ALREADY_EXISTS', message: '区 wangcheng 已登记' }],
    });
  });

  it('two admins opening one cycle at once: one opens it, the other hears the cycle is open', async () => {
    await registerDistrict(
      store,
      { type: 'RegisterDistrict', data: DISTRICT, metadata: { actor: admin, now } },
      context(1),
    );
    const open = (n: number) =>
      openCycle(
        store,
        {
          type: 'OpenCycle',
          data: { districtCode: DISTRICT.code, year: 2021, deadline: '2022-03-31T23:59:59+08:00' },
          metadata: { actor: admin, now },
        },
        context(n),
      );
    expect(await outcomes([open(2), open(3)])).toEqual({
      won: 1,
      lost: [{ code: 'ALREADY_EXISTS', message: '区 wangcheng 的 2021 年度评价周期已开启' }],
    });
    expect((await readCycle(store, 'wangcheng.2021')).version).toBe(1);
  });

  it('a cycle is opened only for a registered district, and a deadline moved only on an open cycle', async () => {
    await expect(
      openCycle(
        store,
        {
          type: 'OpenCycle',
          data: { districtCode: 'nowhere', year: 2021, deadline: '2022-03-31T23:59:59+08:00' },
          metadata: { actor: admin, now },
        },
        context(1),
      ),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('区 nowhere 尚未登记'),
    });
    await expect(
      moveCycleDeadline(
        store,
        {
          type: 'MoveCycleDeadline',
          data: { districtCode: 'wangcheng', year: 2021, deadline: '2022-04-30T23:59:59+08:00' },
          metadata: { actor: admin, now },
        },
        context(2),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: '区 wangcheng 的 2021 年度评价周期尚未开启' });
  });

  it('two clerks creating the same form at once: one creates it, the other hears it exists', async () => {
    await registerDistrict(
      store,
      { type: 'RegisterDistrict', data: DISTRICT, metadata: { actor: admin, now } },
      context(1),
    );
    await registerDepartment(
      store,
      {
        type: 'RegisterDepartment',
        data: { ...DEPARTMENT, districtCode: DISTRICT.code },
        metadata: { actor: admin, now },
      },
      context(2),
    );
    const create = (n: number) =>
      handleEvaluationCommand(
        store,
        EVALUATION_ID,
        {
          type: 'CreateEvaluation',
          data: { evaluationId: EVALUATION_ID, year: 2021, department: DEPARTMENT, district: DISTRICT },
          metadata: { actor: actors.clerk, now },
        } satisfies EvaluationCommand,
        context(n),
      );
    expect(await outcomes([create(3), create(4)])).toEqual({
      won: 1,
      lost: [{ code: 'ALREADY_EXISTS', message: '部门 wangcheng-shzlfwzx 的 2021 年度自评表已存在' }],
    });
  });

  /** The store, with another writer's event slipped in before each of the next `times` appends. */
  const racedBy = (competing: () => Promise<unknown>, times: number): EventStore => {
    let left = times;
    return new Proxy(store, {
      get(target, name, receiver) {
        if (name !== 'appendToStream') return Reflect.get(target, name, receiver);
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          if (left-- > 0) await competing();
          return target.appendToStream(...args);
        };
      },
    });
  };

  it('a command that loses a race is decided again on the newer state, and hears the domain', async () => {
    const otherAdmin = () =>
      registerDistrict(
        store,
        { type: 'RegisterDistrict', data: DISTRICT, metadata: { actor: admin, now } },
        context(9),
      );
    await expect(
      registerDistrict(
        racedBy(otherAdmin, 1),
        { type: 'RegisterDistrict', data: DISTRICT, metadata: { actor: admin, now } },
        context(1),
      ),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS', message: '区 wangcheng 已登记' });
  });

  it('one that loses every race is a concurrent change (VERSION_CONFLICT) the client may retry, never a storage error', async () => {
    await registerDistrict(
      store,
      { type: 'RegisterDistrict', data: DISTRICT, metadata: { actor: admin, now } },
      context(1),
    );
    const deadline = (n: number) => `2022-04-${String(10 + n).padStart(2, '0')}T23:59:59+08:00`;
    await openCycle(
      store,
      {
        type: 'OpenCycle',
        data: { districtCode: DISTRICT.code, year: 2021, deadline: deadline(0) },
        metadata: { actor: admin, now },
      },
      context(2),
    );
    let moves = 0;
    const anotherMove = () =>
      moveCycleDeadline(
        store,
        {
          type: 'MoveCycleDeadline',
          data: { districtCode: DISTRICT.code, year: 2021, deadline: deadline(++moves) },
          metadata: { actor: admin, now },
        },
        context(3),
      );
    const move = moveCycleDeadline(
      racedBy(anotherMove, 100),
      {
        type: 'MoveCycleDeadline',
        data: { districtCode: DISTRICT.code, year: 2021, deadline: '2022-05-31T23:59:59+08:00' },
        metadata: { actor: admin, now },
      },
      context(4),
    );
    const refusal = await move.catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConcurrentChange);
    // Decided five times, each time on the newer state; the cycle's version after the five moves.
    expect(moves).toBe(5);
    expect(refusal).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 1 + moves });
  });
});

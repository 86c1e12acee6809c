import { actors } from '../testing/fixtures';
import type { Actor } from '../evaluation/workflow/actor';
import {
  decideMoveCycleDeadline,
  decideOpenCycle,
  evolveCycle,
  initialCycle,
  type CycleEvent,
  type Cycle,
} from './cycle';

const now = new Date('2022-03-01T00:00:00.000Z');
const fold = (events: CycleEvent[]): Cycle => events.reduce(evolveCycle, initialCycle());
const open = (deadline: unknown = '2022-03-31T23:59:59+08:00', actor: Actor = actors.admin) =>
  ({
    type: 'OpenCycle',
    data: { districtCode: 'wangcheng', year: 2021, deadline },
    metadata: { actor, now },
  }) as const;
const move = (deadline: unknown, actor: Actor = actors.admin) =>
  ({
    type: 'MoveCycleDeadline',
    data: { districtCode: 'wangcheng', year: 2021, deadline },
    metadata: { actor, now },
  }) as const;
const opened: CycleEvent = {
  type: 'CycleOpened',
  data: {
    cycleId: 'wangcheng.2021',
    districtCode: 'wangcheng',
    year: 2021,
    deadline: '2022-03-31T15:59:59.000Z',
    openedAt: now.toISOString(),
    by: { id: 'admin-1', role: 'ADMIN' },
  },
};

const REGISTERED = { registered: true };

describe('cycles (docs/workflow.md)', () => {
  it('given no cycle, when an admin opens one, then it is open with the deadline as a UTC instant', () => {
    expect(decideOpenCycle(open(), fold([]), REGISTERED)).toEqual([opened]);
    expect(fold([opened])).toMatchObject({ status: 'OPEN', deadline: '2022-03-31T15:59:59.000Z' });
  });

  it('a second opening of the same district and year is a conflict, named as a cycle', () => {
    expect(() => decideOpenCycle(open(), fold([opened]), REGISTERED)).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS', message: '区 wangcheng 的 2021 年度评价周期已开启' }),
    );
  });

  it('a district that is not registered has no cycle to open', () => {
    expect(() => decideOpenCycle(open(), fold([]), { registered: false })).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        problems: [{ code: 'INVALID_VALUE', path: 'input.districtCode', message: '区 wangcheng 尚未登记' }],
      }),
    );
  });

  it('only administrators, and a district-scoped one only in its district', () => {
    for (const actor of [actors.clerk, actors.supervisor, actors.auditor]) {
      expect(() => decideOpenCycle(open(undefined, actor), fold([]), REGISTERED)).toThrow(
        expect.objectContaining({ code: 'FORBIDDEN' }),
      );
    }
    expect(() =>
      decideOpenCycle(open(undefined, { id: 'a2', role: 'ADMIN', district: 'yuelu' }), fold([]), REGISTERED),
    ).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it.each(['2022-03-31', 'next friday', '2022-13-01T00:00:00Z', ''])(
    'a deadline "%s" is refused with its path',
    (deadline) => {
      expect(() => decideOpenCycle(open(deadline), fold([]), REGISTERED)).toThrow(
        expect.objectContaining({
          code: 'BAD_USER_INPUT',
          problems: [expect.objectContaining({ path: 'input.deadline' })],
        }),
      );
    },
  );

  it('moving the deadline records before and after; the same deadline records nothing', () => {
    expect(decideMoveCycleDeadline(move('2022-04-15T16:00:00Z'), fold([opened]))).toEqual([
      {
        type: 'CycleDeadlineMoved',
        data: {
          cycleId: 'wangcheng.2021',
          before: '2022-03-31T15:59:59.000Z',
          after: '2022-04-15T16:00:00.000Z',
          movedAt: now.toISOString(),
          by: { id: 'admin-1', role: 'ADMIN' },
        },
      },
    ]);
    expect(decideMoveCycleDeadline(move('2022-03-31T15:59:59Z'), fold([opened]))).toEqual([]);
  });

  it('moving the deadline of a cycle that was never opened is NOT_FOUND, named as a cycle', () => {
    expect(() => decideMoveCycleDeadline(move('2022-04-15T16:00:00Z'), fold([]))).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: '区 wangcheng 的 2021 年度评价周期尚未开启' }),
    );
  });
});

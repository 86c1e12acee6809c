import { InputReader } from '../evaluation/interchange/input-reader';
import type { Actor } from '../evaluation/workflow/actor';
import { BadInput, DomainError } from '../errors';
import { requireAdministrator } from '../evaluation/workflow/guards';
import type { ActorRef } from '../evaluation/workflow/events';

/**
 * A yearly cycle of a district (docs/workflow.md): every registered department of the district is expected
 * to submit by the deadline, which an administrator may move.
 */
export type CycleOpened = {
  type: 'CycleOpened';
  data: {
    cycleId: string;
    districtCode: string;
    year: number;
    deadline: string;
    openedAt: string;
    by: ActorRef;
  };
};
export type CycleDeadlineMoved = {
  type: 'CycleDeadlineMoved';
  data: { cycleId: string; before: string; after: string; movedAt: string; by: ActorRef };
};
export type CycleEvent = CycleOpened | CycleDeadlineMoved;

export type Cycle =
  | { status: 'NONE' }
  | {
      status: 'OPEN';
      cycleId: string;
      districtCode: string;
      year: number;
      deadline: string;
      openedAt: string;
    };

export interface OpenCycle {
  type: 'OpenCycle';
  data: { districtCode: string; year: unknown; deadline: unknown };
  metadata: { actor: Actor; now: Date };
}

export interface MoveCycleDeadline {
  type: 'MoveCycleDeadline';
  data: { districtCode: string; year: number; deadline: unknown };
  metadata: { actor: Actor; now: Date };
}

export const cycleIdFor = (districtCode: string, year: number) => `${districtCode}.${year}`;

/** A district's cycle for a year is opened once; its deadline moves instead. */
export class CycleAlreadyOpen extends DomainError {
  readonly code = 'ALREADY_EXISTS';
  constructor(
    readonly districtCode: string,
    readonly year: number,
  ) {
    super(`区 ${districtCode} 的 ${year} 年度评价周期已开启`);
  }
}

export class CycleNotFound extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly districtCode: string,
    readonly year: number,
  ) {
    super(`区 ${districtCode} 的 ${year} 年度评价周期尚未开启`);
  }
}

export const initialCycle = (): Cycle => ({ status: 'NONE' });

export function evolveCycle(state: Cycle, event: CycleEvent): Cycle {
  switch (event.type) {
    case 'CycleOpened': {
      const { cycleId, districtCode, year, deadline, openedAt } = event.data;
      return { status: 'OPEN', cycleId, districtCode, year, deadline, openedAt };
    }
    case 'CycleDeadlineMoved':
      return state.status === 'OPEN' ? { ...state, deadline: event.data.after } : state;
  }
}

/** A deadline as an ISO-8601 instant with a time zone, e.g. 2022-03-31T16:00:00Z or 2022-04-01T00:00:00+08:00. */
function readDeadline(reader: InputReader, value: unknown, path: string): string {
  const text = reader.text(value, path, { max: 64, nonEmpty: true });
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)
    ? new Date(text)
    : null;
  if (text !== '' && (!instant || Number.isNaN(instant.getTime()))) {
    reader.problem('INVALID_VALUE', path, '截止时间应为带时区的 ISO-8601 时间，如 2022-03-31T23:59:59+08:00');
    return '';
  }
  return instant ? instant.toISOString() : '';
}

/**
 * `district.registered`: whether the district is in the register (a cycle makes its registered
 * departments expected to submit, so a district nobody registered has no cycle).
 */
export function decideOpenCycle(
  command: OpenCycle,
  state: Cycle,
  district: { registered: boolean },
): CycleEvent[] {
  const { actor, now } = command.metadata;
  requireAdministrator(actor, 'openCycle', command.data.districtCode);
  const reader = new InputReader();
  const year = reader.integer(command.data.year, 'input.year', 2000, 2100);
  const deadline = readDeadline(reader, command.data.deadline, 'input.deadline');
  if (!district.registered)
    reader.problem('INVALID_VALUE', 'input.districtCode', `区 ${command.data.districtCode} 尚未登记`);
  if (!reader.ok || year === null) throw new BadInput(reader.problems);
  if (state.status === 'OPEN') throw new CycleAlreadyOpen(command.data.districtCode, year);
  return [
    {
      type: 'CycleOpened',
      data: {
        cycleId: cycleIdFor(command.data.districtCode, year),
        districtCode: command.data.districtCode,
        year,
        deadline,
        openedAt: now.toISOString(),
        by: { id: actor.id, role: actor.role },
      },
    },
  ];
}

export function decideMoveCycleDeadline(command: MoveCycleDeadline, state: Cycle): CycleEvent[] {
  const { actor, now } = command.metadata;
  requireAdministrator(actor, 'moveCycleDeadline', command.data.districtCode);
  if (state.status !== 'OPEN') throw new CycleNotFound(command.data.districtCode, command.data.year);
  const reader = new InputReader();
  const deadline = readDeadline(reader, command.data.deadline, 'input.deadline');
  if (!reader.ok) throw new BadInput(reader.problems);
  if (deadline === state.deadline) return [];
  return [
    {
      type: 'CycleDeadlineMoved',
      data: {
        cycleId: state.cycleId,
        before: state.deadline,
        after: deadline,
        movedAt: now.toISOString(),
        by: { id: actor.id, role: actor.role },
      },
    },
  ];
}

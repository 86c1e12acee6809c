import { deterministicEventId, type EventStore } from '@app/event-store';
import {
  cycleIdFor,
  decideMoveCycleDeadline,
  decideOpenCycle,
  evolveCycle,
  initialCycle,
  reminderKey,
  type Cycle,
  type CycleEvent,
  type MoveCycleDeadline,
  type OpenCycle,
} from '@app/domain';
import {
  foldStream,
  handleCommand,
  plainEvents,
  readStreamPages,
  type Aggregate,
  type CommandContext,
} from '../command-handler';
import { findDistrict } from '../registry/registry';

export const CYCLE_STREAM_PREFIX = 'cycle-';
export const NOTIFICATION_STREAM_PREFIX = 'notifications-';

export const cycleStreamId = (cycleId: string) => `${CYCLE_STREAM_PREFIX}${cycleId}`;
export const notificationStreamId = (departmentCode: string) =>
  `${NOTIFICATION_STREAM_PREFIX}${departmentCode}`;

type CycleCommand = OpenCycle | MoveCycleDeadline;

/** A district's yearly cycle as an aggregate; `decide` is given per command (opening needs the register). */
const cycleAggregate: Omit<Aggregate<CycleCommand, Cycle, CycleEvent>, 'decide'> = {
  evolve: evolveCycle,
  initialState: initialCycle,
  ...plainEvents<CycleEvent>(),
};

export async function readCycle(
  store: EventStore,
  cycleId: string,
): Promise<{ state: Cycle; version: number }> {
  return foldStream(store, cycleStreamId(cycleId), cycleAggregate);
}

export async function openCycle(store: EventStore, command: OpenCycle, context: CommandContext) {
  const year = typeof command.data.year === 'number' ? command.data.year : 0;
  const registered = (await findDistrict(store, command.data.districtCode)) !== null;
  return handleCommand(
    store,
    cycleStreamId(cycleIdFor(command.data.districtCode, year)),
    { ...cycleAggregate, decide: (c, state) => decideOpenCycle(c as OpenCycle, state, { registered }) },
    command as CycleCommand,
    context,
  );
}

export function moveCycleDeadline(store: EventStore, command: MoveCycleDeadline, context: CommandContext) {
  return handleCommand(
    store,
    cycleStreamId(cycleIdFor(command.data.districtCode, command.data.year)),
    { ...cycleAggregate, decide: (c, state) => decideMoveCycleDeadline(c as MoveCycleDeadline, state) },
    command as CycleCommand,
    context,
  );
}

/** A reminder or overdue notice, as recorded (and then delivered) once per cycle, department and milestone. */
export interface ReminderRecorded {
  cycleId: string;
  districtCode: string;
  year: number;
  department: { code: string; name: string };
  milestone: string;
  kind: 'REMINDER' | 'OVERDUE';
  deadline: string;
  dueAt: string;
  recordedAt: string;
}

/**
 * Records a reminder with an event id derived from its identity, so retries, restarts and a second
 * worker all land on the same event: the store keeps it once. Returns the stored event's id.
 */
export async function recordReminder(
  store: EventStore,
  reminder: ReminderRecorded,
  correlationId: string,
): Promise<string> {
  const eventId = deterministicEventId(
    reminderKey(reminder.cycleId, reminder.department.code, reminder.milestone),
  );
  await store.appendToStream(
    notificationStreamId(reminder.department.code),
    [
      {
        eventId,
        type: 'ReminderRecorded',
        data: reminder,
        metadata: {
          actor: { id: 'worker', role: 'SYSTEM' },
          correlationId,
          causationId: `${reminder.cycleId}:${reminder.milestone}`,
          occurredAt: reminder.recordedAt,
        },
      },
    ],
    { expectedRevision: 'any' },
  );
  return eventId;
}

/** Records that a reminder reached the webhook (once), so a retry after a crash does not send it again. */
export async function recordDelivery(
  store: EventStore,
  departmentCode: string,
  reminderEventId: string,
  at: Date,
): Promise<void> {
  await store.appendToStream(
    notificationStreamId(departmentCode),
    [
      {
        eventId: deterministicEventId(`delivered:${reminderEventId}`),
        type: 'ReminderDelivered',
        data: { reminderEventId, deliveredAt: at.toISOString() },
        metadata: {
          actor: { id: 'worker', role: 'SYSTEM' },
          correlationId: reminderEventId,
          causationId: reminderEventId,
          occurredAt: at.toISOString(),
        },
      },
    ],
    { expectedRevision: 'any' },
  );
}

export async function wasDelivered(
  store: EventStore,
  departmentCode: string,
  reminderEventId: string,
): Promise<boolean> {
  const deliveryId = deterministicEventId(`delivered:${reminderEventId}`);
  for await (const event of readStreamPages(store, notificationStreamId(departmentCode))) {
    if (event.eventId === deliveryId) return true;
  }
  return false;
}

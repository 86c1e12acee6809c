import { randomUUID } from 'node:crypto';
import {
  WrongExpectedRevision,
  deterministicEventId,
  type EventStore,
  type Position,
} from '@app/event-store';
import {
  EvaluationAlreadyExists,
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
} from '@app/evaluation';
import { eventMetadata, type CommandContext } from './handle-command';
import { readStreamPages } from './read-evaluation';

export const CYCLE_STREAM_PREFIX = 'cycle-';
export const NOTIFICATION_STREAM_PREFIX = 'notifications-';

export const cycleStreamId = (cycleId: string) => `${CYCLE_STREAM_PREFIX}${cycleId}`;
export const notificationStreamId = (departmentCode: string) =>
  `${NOTIFICATION_STREAM_PREFIX}${departmentCode}`;

export async function readCycle(
  store: EventStore,
  cycleId: string,
): Promise<{ state: Cycle; version: number }> {
  let state = initialCycle();
  let version = 0;
  for await (const stored of readStreamPages(store, cycleStreamId(cycleId))) {
    state = evolveCycle(state, { type: stored.type, data: stored.data } as CycleEvent);
    version = stored.revision + 1;
  }
  return { state, version };
}

async function runCycleCommand(
  store: EventStore,
  cycleId: string,
  decideWith: (state: Cycle) => CycleEvent[],
  command: OpenCycle | MoveCycleDeadline,
  context: CommandContext,
): Promise<{ state: Cycle; position: Position | null }> {
  const { state, version } = await readCycle(store, cycleId);
  const events = decideWith(state);
  if (events.length === 0) return { state, position: null };
  const metadata = eventMetadata(command.metadata, context);
  try {
    const result = await store.appendToStream(
      cycleStreamId(cycleId),
      events.map((event) => ({
        eventId: (context.newEventId ?? randomUUID)(),
        type: event.type,
        data: event.data,
        metadata,
      })),
      { expectedRevision: version === 0 ? 'no_stream' : version - 1 },
    );
    return { state: events.reduce(evolveCycle, state), position: result.position };
  } catch (error) {
    if (error instanceof WrongExpectedRevision && version === 0)
      throw new EvaluationAlreadyExists(cycleId, 0);
    throw error;
  }
}

export function openCycle(store: EventStore, command: OpenCycle, context: CommandContext) {
  const year = typeof command.data.year === 'number' ? command.data.year : 0;
  return runCycleCommand(
    store,
    cycleIdFor(command.data.districtCode, year),
    (s) => decideOpenCycle(command, s),
    command,
    context,
  );
}

export function moveCycleDeadline(store: EventStore, command: MoveCycleDeadline, context: CommandContext) {
  return runCycleCommand(
    store,
    cycleIdFor(command.data.districtCode, command.data.year),
    (s) => decideMoveCycleDeadline(command, s),
    command,
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

import { randomUUID } from 'node:crypto';
import { WrongExpectedRevision, type EventStore, type Position } from '@app/event-store';
import {
  decideRegisterDepartment,
  decideRegisterDistrict,
  RegistryEntryExists,
  type CodeName,
  type DepartmentRegistered,
  type DistrictRegistered,
  type RegisterDepartment,
  type RegisterDistrict,
  type RegistryEvent,
} from '@app/evaluation';
import { eventMetadata, type CommandContext } from './handle-command';

export const DISTRICT_STREAM_PREFIX = 'district-';
export const DEPARTMENT_STREAM_PREFIX = 'department-';

export interface RegisteredDepartment extends CodeName {
  district: CodeName;
}

async function firstEvent<E extends RegistryEvent>(store: EventStore, streamId: string): Promise<E | null> {
  const [event] = await store.readStream(streamId, { maxCount: 1 });
  return event ? ({ type: event.type, data: event.data } as E) : null;
}

export async function findDistrict(store: EventStore, code: string): Promise<CodeName | null> {
  const event = await firstEvent<DistrictRegistered>(store, `${DISTRICT_STREAM_PREFIX}${code}`);
  return event ? { code: event.data.code, name: event.data.name } : null;
}

/** A registered department with its district, read from their own streams (always current). */
export async function findDepartment(store: EventStore, code: string): Promise<RegisteredDepartment | null> {
  const event = await firstEvent<DepartmentRegistered>(store, `${DEPARTMENT_STREAM_PREFIX}${code}`);
  if (!event) return null;
  const district = await findDistrict(store, event.data.districtCode);
  if (!district) return null;
  return { code: event.data.code, name: event.data.name, district };
}

async function append(
  store: EventStore,
  streamId: string,
  event: RegistryEvent,
  command: RegisterDistrict | RegisterDepartment,
  context: CommandContext,
) {
  try {
    const result = await store.appendToStream(
      streamId,
      [
        {
          eventId: (context.newEventId ?? randomUUID)(),
          type: event.type,
          data: event.data,
          metadata: eventMetadata(command.metadata, context),
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    return result.position;
  } catch (error) {
    // Another admin registered the same code a moment earlier.
    if (error instanceof WrongExpectedRevision)
      throw new RegistryEntryExists(
        event.type === 'DistrictRegistered' ? 'district' : 'department',
        event.data.code,
      );
    throw error;
  }
}

export async function registerDistrict(
  store: EventStore,
  command: RegisterDistrict,
  context: CommandContext,
): Promise<{ district: CodeName; position: Position }> {
  const code = typeof command.data.code === 'string' ? command.data.code : '';
  const exists = code !== '' && (await findDistrict(store, code)) !== null;
  const [event] = decideRegisterDistrict(command, exists);
  const position = await append(
    store,
    `${DISTRICT_STREAM_PREFIX}${event.data.code}`,
    event,
    command,
    context,
  );
  return { district: { code: event.data.code, name: event.data.name }, position };
}

export async function registerDepartment(
  store: EventStore,
  command: RegisterDepartment,
  context: CommandContext,
): Promise<{ department: RegisteredDepartment; position: Position }> {
  const code = typeof command.data.code === 'string' ? command.data.code : '';
  const districtCode = typeof command.data.districtCode === 'string' ? command.data.districtCode : '';
  const district = districtCode ? await findDistrict(store, districtCode) : null;
  const exists = code !== '' && (await firstEvent(store, `${DEPARTMENT_STREAM_PREFIX}${code}`)) !== null;
  const [event] = decideRegisterDepartment(command, { exists, districtExists: district !== null });
  const position = await append(
    store,
    `${DEPARTMENT_STREAM_PREFIX}${event.data.code}`,
    event,
    command,
    context,
  );
  return { department: { code: event.data.code, name: event.data.name, district: district! }, position };
}

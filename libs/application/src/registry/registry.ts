import type { EventStore, Position } from '@app/event-store';
import {
  decideRegisterDepartment,
  decideRegisterDistrict,
  type CodeName,
  type DepartmentRegistered,
  type DistrictRegistered,
  type RegisterDepartment,
  type RegisterDistrict,
  type RegistryEvent,
} from '@app/domain';
import { handleCommand, plainEvents, type Aggregate, type CommandContext } from '../command-handler';

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

/** A district or a department: its own stream, registered by its first (and only) event. */
const registryEntry: Omit<Aggregate<RegistryCommand, RegistryEntry, RegistryEvent>, 'decide'> = {
  evolve: () => ({ registered: true }),
  initialState: () => ({ registered: false }),
  ...plainEvents<RegistryEvent>(),
};

type RegistryCommand = RegisterDistrict | RegisterDepartment;
interface RegistryEntry {
  registered: boolean;
}

const codeOf = (value: unknown) => (typeof value === 'string' ? value : '');

export async function registerDistrict(
  store: EventStore,
  command: RegisterDistrict,
  context: CommandContext,
): Promise<{ district: CodeName; position: Position }> {
  const { events, position } = await handleCommand(
    store,
    `${DISTRICT_STREAM_PREFIX}${codeOf(command.data.code)}`,
    {
      ...registryEntry,
      decide: (c, entry) => decideRegisterDistrict(c as RegisterDistrict, entry.registered),
    },
    command as RegistryCommand,
    context,
  );
  // A registration is decided into exactly one event or refused, so something was appended.
  const { code, name } = (events[0] as DistrictRegistered).data;
  return { district: { code, name }, position: position! };
}

export async function registerDepartment(
  store: EventStore,
  command: RegisterDepartment,
  context: CommandContext,
): Promise<{ department: RegisteredDepartment; position: Position }> {
  const districtCode = codeOf(command.data.districtCode);
  const district = districtCode ? await findDistrict(store, districtCode) : null;
  const { events, position } = await handleCommand(
    store,
    `${DEPARTMENT_STREAM_PREFIX}${codeOf(command.data.code)}`,
    {
      ...registryEntry,
      decide: (c, entry) =>
        decideRegisterDepartment(c as RegisterDepartment, {
          exists: entry.registered,
          districtExists: district !== null,
        }),
    },
    command as RegistryCommand,
    context,
  );
  const { code, name } = (events[0] as DepartmentRegistered).data;
  return { department: { code, name, district: district! }, position: position! };
}

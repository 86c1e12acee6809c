import { InputReader } from '../evaluation/interchange/input-reader';
import { readCodeName } from '../evaluation/interchange/evaluation-document';
import type { Actor } from '../evaluation/workflow/actor';
import { BadInput, DomainError } from '../errors';
import { requireAdministrator } from '../evaluation/workflow/guards';

/**
 * The register of districts and departments an administrator keeps (docs/access.md). Each district and each
 * department is its own stream, so a code can be registered once and two admins cannot race.
 */
export type DistrictRegistered = {
  type: 'DistrictRegistered';
  data: { code: string; name: string; registeredAt: string };
};
export type DepartmentRegistered = {
  type: 'DepartmentRegistered';
  data: { code: string; name: string; districtCode: string; registeredAt: string };
};
export type RegistryEvent = DistrictRegistered | DepartmentRegistered;

export interface RegisterDistrict {
  type: 'RegisterDistrict';
  data: { code: unknown; name: unknown };
  metadata: { actor: Actor; now: Date };
}

export interface RegisterDepartment {
  type: 'RegisterDepartment';
  data: { code: unknown; name: unknown; districtCode: unknown };
  metadata: { actor: Actor; now: Date };
}

export class RegistryEntryExists extends DomainError {
  readonly code = 'ALREADY_EXISTS';
  constructor(
    readonly what: 'district' | 'department',
    readonly entryCode: string,
  ) {
    super(what === 'district' ? `区 ${entryCode} 已登记` : `部门 ${entryCode} 已登记`);
  }
}

function readEntry(code: unknown, name: unknown) {
  const reader = new InputReader();
  const entry = readCodeName(reader, { code, name }, 'input');
  if (!reader.ok) throw new BadInput(reader.problems);
  return entry;
}

/** `exists`: whether the district's stream already has its registration. */
export function decideRegisterDistrict(command: RegisterDistrict, exists: boolean): DistrictRegistered[] {
  requireAdministrator(command.metadata.actor, 'registerDistrict');
  const { code, name } = readEntry(command.data.code, command.data.name);
  if (exists) throw new RegistryEntryExists('district', code);
  return [
    { type: 'DistrictRegistered', data: { code, name, registeredAt: command.metadata.now.toISOString() } },
  ];
}

/** `districtExists`: whether the named district is registered; `exists`: whether the department is. */
export function decideRegisterDepartment(
  command: RegisterDepartment,
  state: { exists: boolean; districtExists: boolean },
): DepartmentRegistered[] {
  const districtCode = typeof command.data.districtCode === 'string' ? command.data.districtCode : '';
  requireAdministrator(command.metadata.actor, 'registerDepartment', districtCode);
  const { code, name } = readEntry(command.data.code, command.data.name);
  if (!state.districtExists) {
    throw new BadInput([
      { code: 'INVALID_VALUE', path: 'input.districtCode', message: `区 ${districtCode} 尚未登记` },
    ]);
  }
  if (state.exists) throw new RegistryEntryExists('department', code);
  return [
    {
      type: 'DepartmentRegistered',
      data: { code, name, districtCode, registeredAt: command.metadata.now.toISOString() },
    },
  ];
}

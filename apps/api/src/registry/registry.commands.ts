import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import type { Actor } from '@app/domain';
import { registerDepartment, registerDistrict } from '@app/application';
import { ReadYourWrites } from '../common/read-your-writes';
import { ApiMetrics } from '../metrics/api-metrics';
import { EVENT_STORE } from '../event-store/event-store.module';
import type {
  CodeNameView,
  DepartmentView,
  RegisterDepartmentInput,
  RegisterDistrictInput,
} from './registry.types';

/**
 * Registrations, as the calling user (the domain refuses anyone but an administrator, and a district's
 * administrator outside their district). Each waits (bounded) until the registry's read models show the
 * new entry, so the caller's next `districts` or `departments`, and a form created for it, see it.
 */
@Injectable()
export class RegistryCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readYourWrites: ReadYourWrites,
    private readonly metrics: ApiMetrics,
  ) {}

  async registerDistrict(
    input: RegisterDistrictInput,
    actor: Actor,
    correlationId: string,
  ): Promise<CodeNameView> {
    const { district, position } = await this.metrics.command('RegisterDistrict', () =>
      registerDistrict(
        this.store,
        { type: 'RegisterDistrict', data: { ...input }, metadata: { actor, now: new Date() } },
        { correlationId, commandId: randomUUID() },
      ),
    );
    await this.readYourWrites.shown(position, 'registry');
    return district;
  }

  async registerDepartment(
    input: RegisterDepartmentInput,
    actor: Actor,
    correlationId: string,
  ): Promise<DepartmentView> {
    const { department, position } = await this.metrics.command('RegisterDepartment', () =>
      registerDepartment(
        this.store,
        { type: 'RegisterDepartment', data: { ...input }, metadata: { actor, now: new Date() } },
        { correlationId, commandId: randomUUID() },
      ),
    );
    await this.readYourWrites.shown(position, 'registry');
    return department;
  }
}

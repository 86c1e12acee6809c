import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Args, Context, Field, InputType, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { ProjectionRunner, type EventStore } from '@app/event-store';
import { registerDepartment, registerDistrict } from '@app/evaluations';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { EVENT_STORE } from '../event-store/event-store.module';
import { requireActor, type RequestContext } from '../graphql/request-context';
import { CodeName } from '../evaluations/evaluation.types';

@InputType()
export class RegisterDistrictInput {
  @Field() code!: string;
  @Field() name!: string;
}

@InputType()
export class RegisterDepartmentInput {
  @Field() code!: string;
  @Field() name!: string;
  @Field() districtCode!: string;
}

@ObjectType()
export class Department {
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => CodeName) district!: CodeName;
}

/** Administrators register districts and departments (the domain refuses anyone else). */
@Resolver()
export class RegistryResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
  ) {}

  private metadata(context: RequestContext) {
    return { actor: requireActor(context), now: new Date() };
  }

  private ids(context: RequestContext) {
    return { correlationId: context.correlationId, commandId: randomUUID() };
  }

  @Mutation(() => CodeName)
  async registerDistrict(
    @Context() context: RequestContext,
    @Args('input') input: RegisterDistrictInput,
  ): Promise<CodeName> {
    const { district, position } = await registerDistrict(
      this.store,
      { type: 'RegisterDistrict', data: { ...input }, metadata: this.metadata(context) },
      this.ids(context),
    );
    await this.runner.waitFor(position, {
      streamId: `district-${district.code}`,
      timeoutMs: this.config.readYourWritesTimeoutMs,
    });
    return district;
  }

  @Mutation(() => Department)
  async registerDepartment(
    @Context() context: RequestContext,
    @Args('input') input: RegisterDepartmentInput,
  ): Promise<Department> {
    const { department, position } = await registerDepartment(
      this.store,
      { type: 'RegisterDepartment', data: { ...input }, metadata: this.metadata(context) },
      this.ids(context),
    );
    await this.runner.waitFor(position, {
      streamId: `department-${department.code}`,
      timeoutMs: this.config.readYourWritesTimeoutMs,
    });
    return department;
  }
}

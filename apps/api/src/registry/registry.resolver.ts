import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Args, Context, Field, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { ProjectionRunner, prepared, type EventStore, type SqliteDatabase } from '@app/event-store';
import { registerDepartment, registerDistrict } from '@app/evaluations';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { EVENT_STORE, READ_MODELS } from '../event-store/event-store.module';
import { scopeCondition } from '../common/read-scope';
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

interface DepartmentRow {
  code: string;
  name: string;
  district_code: string;
  district_name: string;
}

/**
 * Administrators register districts and departments (the domain refuses anyone else); everyone lists
 * what their scope covers: a department itself, a supervisor or auditor their district, an admin all.
 */
@Resolver()
export class RegistryResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly db: SqliteDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
  ) {}

  private metadata(context: RequestContext) {
    return { actor: requireActor(context), now: new Date() };
  }

  private ids(context: RequestContext) {
    return { correlationId: context.correlationId, commandId: randomUUID() };
  }

  @Query(() => [Department], { description: 'Registered departments within the caller’s scope, by code' })
  departments(
    @Context() context: RequestContext,
    @Args('districtCode', { type: () => String, nullable: true }) districtCode: string | null,
  ): Department[] {
    const actor = requireActor(context);
    const params: Record<string, unknown> = { district: districtCode };
    const scope = scopeCondition(actor, { district: 'd.district_code', department: 'd.code' }, params);
    const rows = prepared(
      this.db,
      `SELECT d.code, d.name, d.district_code, t.name AS district_name
       FROM departments d JOIN districts t ON t.code = d.district_code
       WHERE (@district IS NULL OR d.district_code = @district) AND ${scope} ORDER BY d.code`,
    ).all(params) as DepartmentRow[];
    return rows.map((row) => ({
      code: row.code,
      name: row.name,
      district: { code: row.district_code, name: row.district_name },
    }));
  }

  @Query(() => [CodeName], { description: 'Registered districts within the caller’s scope, by code' })
  districts(@Context() context: RequestContext): CodeName[] {
    const actor = requireActor(context);
    // A department sees the district it belongs to.
    if (actor.role === 'DEPARTMENT') return this.departments(context, null).map((d) => d.district);
    const params: Record<string, unknown> = {};
    const scope = scopeCondition(actor, { district: 'code' }, params);
    return prepared(this.db, `SELECT code, name FROM districts WHERE ${scope} ORDER BY code`).all(
      params,
    ) as CodeName[];
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

import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { COSTS, costs } from '../graphql/costs';
import { requireActor, type RequestContext } from '../graphql/request-context';
import { RegistryCommands } from './registry.commands';
import { RegistryQueries } from './registry.queries';
import {
  CodeNameView,
  DepartmentView,
  RegisterDepartmentInput,
  RegisterDistrictInput,
} from './registry.types';

/**
 * Administrators register districts and departments (the domain refuses anyone else); everyone lists
 * what their scope covers.
 */
@Resolver()
export class RegistryResolver {
  constructor(
    private readonly commands: RegistryCommands,
    private readonly queries: RegistryQueries,
  ) {}

  @Query(() => [DepartmentView], {
    complexity: costs(COSTS.registryList),
    description: 'Registered departments within the caller’s scope, by code',
  })
  departments(
    @Context() context: RequestContext,
    @Args('districtCode', { type: () => String, nullable: true }) districtCode: string | null,
  ): DepartmentView[] {
    return this.queries.departments(requireActor(context), districtCode);
  }

  @Query(() => [CodeNameView], { description: 'Registered districts within the caller’s scope, by code' })
  districts(@Context() context: RequestContext): CodeNameView[] {
    return this.queries.districts(requireActor(context));
  }

  @Mutation(() => CodeNameView)
  registerDistrict(
    @Context() context: RequestContext,
    @Args('input') input: RegisterDistrictInput,
  ): Promise<CodeNameView> {
    return this.commands.registerDistrict(input, requireActor(context), context.correlationId);
  }

  @Mutation(() => DepartmentView)
  registerDepartment(
    @Context() context: RequestContext,
    @Args('input') input: RegisterDepartmentInput,
  ): Promise<DepartmentView> {
    return this.commands.registerDepartment(input, requireActor(context), context.correlationId);
  }
}

import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { COSTS, costs } from '../graphql/costs';
import { requireActor, type RequestContext } from '../graphql/request-context';
import { RegistryCommands } from './registry.commands';
import { RegistryQueries } from './registry.queries';
import { CodeName, Department, RegisterDepartmentInput, RegisterDistrictInput } from './registry.types';

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

  @Query(() => [Department], {
    complexity: costs(COSTS.registryList),
    description: 'Registered departments within the caller’s scope, by code',
  })
  departments(
    @Context() context: RequestContext,
    @Args('districtCode', { type: () => String, nullable: true }) districtCode: string | null,
  ): Department[] {
    return this.queries.departments(requireActor(context), districtCode);
  }

  @Query(() => [CodeName], { description: 'Registered districts within the caller’s scope, by code' })
  districts(@Context() context: RequestContext): CodeName[] {
    return this.queries.districts(requireActor(context));
  }

  @Mutation(() => CodeName)
  registerDistrict(
    @Context() context: RequestContext,
    @Args('input') input: RegisterDistrictInput,
  ): Promise<CodeName> {
    return this.commands.registerDistrict(input, requireActor(context), context.correlationId);
  }

  @Mutation(() => Department)
  registerDepartment(
    @Context() context: RequestContext,
    @Args('input') input: RegisterDepartmentInput,
  ): Promise<Department> {
    return this.commands.registerDepartment(input, requireActor(context), context.correlationId);
  }
}

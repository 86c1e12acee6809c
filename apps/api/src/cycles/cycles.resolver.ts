import { Args, Context, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { READ_ROLES, type Actor } from '@app/domain';
import { Allowed, Caller } from '../graphql/allowed';
import type { RequestContext } from '../graphql/request-context';
import { CycleCommands } from './cycles.commands';
import { CycleQueries } from './cycles.queries';
import { CycleView, OpenCycleInput } from './cycles.types';

/**
 * Administrators open cycles and move deadlines. No role guard on those: the cycle's deciders check the
 * role and the administrator's district themselves, and their refusal (FORBIDDEN) is the answer. Whoever
 * reads a district's dashboard reads its cycle.
 */
@Resolver()
export class CyclesResolver {
  constructor(
    private readonly commands: CycleCommands,
    private readonly queries: CycleQueries,
  ) {}

  @Query(() => CycleView, {
    nullable: true,
    description: 'The open cycle of a district and year (its deadline); null when none or out of scope',
  })
  @Allowed(READ_ROLES.dashboards)
  cycle(
    @Caller() actor: Actor,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
  ): Promise<CycleView | null> {
    return this.queries.cycle(actor, districtCode, year);
  }

  @Mutation(() => CycleView, {
    description: 'Every registered department of the district is expected to submit by the deadline',
  })
  openCycle(
    @Context() context: RequestContext,
    @Caller() actor: Actor,
    @Args('input') input: OpenCycleInput,
  ): Promise<CycleView> {
    return this.commands.open(input, actor, context.correlationId);
  }

  @Mutation(() => CycleView, { description: 'Reminders still to come are rescheduled for the new deadline' })
  moveCycleDeadline(
    @Context() context: RequestContext,
    @Caller() actor: Actor,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
    @Args('deadline') deadline: string,
  ): Promise<CycleView> {
    return this.commands.moveDeadline({ districtCode, year, deadline }, actor, context.correlationId);
  }
}

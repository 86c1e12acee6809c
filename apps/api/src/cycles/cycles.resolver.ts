import { Args, Context, Int, Mutation, Resolver } from '@nestjs/graphql';
import type { Actor } from '@app/domain';
import { Caller } from '../graphql/allowed';
import type { RequestContext } from '../graphql/request-context';
import { CycleCommands } from './cycles.commands';
import { CycleView, OpenCycleInput } from './cycles.types';

/**
 * Administrators open cycles and move deadlines. No role guard: the cycle's deciders check the role
 * and the administrator's district themselves, and their refusal (FORBIDDEN) is the answer.
 */
@Resolver()
export class CyclesResolver {
  constructor(private readonly commands: CycleCommands) {}

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

import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Args, Context, Int, Mutation, Resolver } from '@nestjs/graphql';
import { ProjectionRunner, type EventStore } from '@app/event-store';
import { CycleNotFound } from '@app/evaluation';
import { cycleStreamId, moveCycleDeadline, openCycle } from '@app/evaluations';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { EVENT_STORE } from '../event-store/event-store.module';
import { requireActor, type RequestContext } from '../graphql/request-context';
import { CycleView, OpenCycleInput } from './cycles.types';

/** Administrators open cycles and move deadlines. */
@Resolver()
export class CyclesResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
  ) {}

  private async answer(
    result: Awaited<ReturnType<typeof openCycle>>,
    asked: { districtCode: string; year: number },
  ): Promise<CycleView> {
    // The deciders refuse a command on a cycle that is not open; this narrows the type.
    if (result.state.status !== 'OPEN') throw new CycleNotFound(asked.districtCode, asked.year);
    const { cycleId, districtCode, year, deadline } = result.state;
    if (result.position)
      await this.runner.waitFor(result.position, {
        streamId: cycleStreamId(cycleId),
        timeoutMs: this.config.readYourWritesTimeoutMs,
      });
    return { id: cycleId, districtCode, year, deadline: new Date(deadline) };
  }

  @Mutation(() => CycleView, {
    description: 'Every registered department of the district is expected to submit by the deadline',
  })
  async openCycle(
    @Context() context: RequestContext,
    @Args('input') input: OpenCycleInput,
  ): Promise<CycleView> {
    const actor = requireActor(context);
    const result = await openCycle(
      this.store,
      { type: 'OpenCycle', data: { ...input }, metadata: { actor, now: new Date() } },
      { correlationId: context.correlationId, commandId: randomUUID() },
    );
    return this.answer(result, { districtCode: input.districtCode, year: input.year });
  }

  @Mutation(() => CycleView, { description: 'Reminders still to come are rescheduled for the new deadline' })
  async moveCycleDeadline(
    @Context() context: RequestContext,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
    @Args('deadline') deadline: string,
  ): Promise<CycleView> {
    const actor = requireActor(context);
    const result = await moveCycleDeadline(
      this.store,
      {
        type: 'MoveCycleDeadline',
        data: { districtCode, year, deadline },
        metadata: { actor, now: new Date() },
      },
      { correlationId: context.correlationId, commandId: randomUUID() },
    );
    return this.answer(result, { districtCode, year });
  }
}

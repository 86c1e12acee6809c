import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { CycleNotFound, type Actor } from '@app/domain';
import { moveCycleDeadline, openCycle } from '@app/application';
import { ReadYourWrites } from '../common/read-your-writes';
import { ApiMetrics } from '../metrics/api-metrics';
import { EVENT_STORE } from '../event-store/event-store.module';
import type { CycleView, OpenCycleInput } from './cycles.types';

/**
 * Cycle commands, as the calling user (the cycle's deciders refuse anyone but an administrator, and a
 * district's administrator outside their district). The answer is the cycle as decided; nothing in the
 * API reads cycles, so there is nothing to wait for (SHOWN_AFTER.cycle): the worker's scheduler follows
 * the log itself.
 */
@Injectable()
export class CycleCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readYourWrites: ReadYourWrites,
    private readonly metrics: ApiMetrics,
  ) {}

  async open(input: OpenCycleInput, actor: Actor, correlationId: string): Promise<CycleView> {
    const result = await this.metrics.command('OpenCycle', () =>
      openCycle(
        this.store,
        { type: 'OpenCycle', data: { ...input }, metadata: { actor, now: new Date() } },
        { correlationId, commandId: randomUUID() },
      ),
    );
    return this.shown(result, input);
  }

  async moveDeadline(
    data: { districtCode: string; year: number; deadline: string },
    actor: Actor,
    correlationId: string,
  ): Promise<CycleView> {
    const result = await this.metrics.command('MoveCycleDeadline', () =>
      moveCycleDeadline(
        this.store,
        { type: 'MoveCycleDeadline', data, metadata: { actor, now: new Date() } },
        { correlationId, commandId: randomUUID() },
      ),
    );
    return this.shown(result, data);
  }

  /** The cycle after the command. */
  private async shown(
    result: Awaited<ReturnType<typeof openCycle>>,
    asked: { districtCode: string; year: number },
  ): Promise<CycleView> {
    // The deciders refuse a command on a cycle that is not open; this narrows the type.
    if (result.state.status !== 'OPEN') throw new CycleNotFound(asked.districtCode, asked.year);
    const { cycleId, districtCode, year, deadline } = result.state;
    await this.readYourWrites.shown(result.position, 'cycle');
    return { id: cycleId, districtCode, year, deadline: new Date(deadline) };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { canSee, type Actor } from '@app/domain';
import { readCycle } from '@app/application';
import { EVENT_STORE } from '../event-store/event-store.module';
import type { CycleView } from './cycles.types';

/**
 * A district-year's open cycle, read from its stream (one short stream; the cycles read model is the
 * worker's). What the console measures on-time and late submissions against.
 */
@Injectable()
export class CycleQueries {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async cycle(actor: Actor, districtCode: string, year: number): Promise<CycleView | null> {
    // Out of scope reads as missing, before anything is read.
    if (!canSee(actor, { department: '', district: districtCode })) return null;
    const { state } = await readCycle(this.store, `${districtCode}.${year}`);
    if (state.status !== 'OPEN') return null;
    return { id: state.cycleId, districtCode, year, deadline: new Date(state.deadline) };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Position, ProjectionHost } from '@app/event-store';
import { PROJECTIONS } from '../event-store/event-store.module';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

/**
 * What a command's caller must find changed on their next read, by kind of command: the read models a
 * command waits for, and the only place that says so. A command's own answer, and `evaluation(id)`, are
 * folded from the stream (always current) and need no wait.
 */
export const SHOWN_AFTER = {
  /** a form command: the `evaluations` list and `districtDashboard` (evaluation-summaries), `evaluationHistory` (audit-history) */
  form: ['evaluation-summaries', 'audit-history'],
  /** a registration: `districts` and `departments` */
  registry: ['registry'],
  /** opening a cycle or moving its deadline: no API query reads cycles; the worker follows the log itself */
  cycle: [],
} as const satisfies Record<string, readonly string[]>;

export type CommandKind = keyof typeof SHOWN_AFTER;

/**
 * After a command: wait, bounded by READ_YOUR_WRITES (5 s), until the read models its caller reads next
 * (SHOWN_AFTER) have applied its last event. A command that changed nothing (no position) does not wait.
 * A timeout does not fail the command (it is stored); the next read may then be a moment behind.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROJECTIONS) private readonly runner: ProjectionHost,
  ) {}

  async shown(position: Position | null, kind: CommandKind): Promise<void> {
    const projections = SHOWN_AFTER[kind];
    if (!position || projections.length === 0) return;
    await this.runner.waitFor(position, { projections, timeoutMs: this.config.readYourWritesTimeoutMs });
  }
}

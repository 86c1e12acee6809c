import { Inject, Injectable } from '@nestjs/common';
import { ProjectionRunner, type Position } from '@app/event-store';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

/**
 * After a command: wait, bounded by READ_YOUR_WRITES (5 s), until the read models that follow the
 * command's stream have applied its last event, so the caller's next list, dashboard or history shows
 * what they just did. A command that changed nothing (no position) does not wait. A timeout does not
 * fail the command (it is stored); the next read may then be a moment behind.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
  ) {}

  async shown(position: Position | null, streamId: string): Promise<void> {
    if (!position) return;
    await this.runner.waitFor(position, { streamId, timeoutMs: this.config.readYourWritesTimeoutMs });
  }
}

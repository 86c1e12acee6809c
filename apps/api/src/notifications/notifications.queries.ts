import { Inject, Injectable } from '@nestjs/common';
import { prepared, type SqliteDatabase } from '@app/event-store';
import { connectionOf, decodeCursor, pageSize } from '../common/connection';
import { READ_MODELS } from '../event-store/event-store.module';
import type { NotificationConnection } from './notifications.types';

interface NotificationRow {
  event_id: string;
  kind: string;
  milestone: string;
  cycle_id: string;
  deadline: string;
  recorded_at: string;
  delivered_at: string | null;
  seq: number;
}

/** The notifications read model: a department's reminders and overdue notices. */
@Injectable()
export class NotificationQueries {
  constructor(@Inject(READ_MODELS) private readonly db: SqliteDatabase) {}

  /** One department's notifications, newest first; the cursor is the last one's sequence number. */
  ofDepartment(
    departmentCode: string | undefined,
    first: number | null,
    after: string | null,
  ): NotificationConnection {
    const [before] = after
      ? decodeCursor(after, (parts): parts is [number] => Number.isSafeInteger(parts[0]))
      : [Number.MAX_SAFE_INTEGER];
    const limit = pageSize(first);
    const rows = prepared(
      this.db,
      'SELECT * FROM notifications WHERE department_code = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
    ).all(departmentCode, before, limit + 1) as NotificationRow[];
    return connectionOf(
      rows,
      limit,
      (row) => [row.seq],
      (row) => ({
        id: row.event_id,
        kind: row.kind,
        milestone: row.milestone,
        cycleId: row.cycle_id,
        deadline: new Date(row.deadline),
        recordedAt: new Date(row.recorded_at),
        deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
      }),
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { prepared, type EventStore, type SqliteDatabase } from '@app/event-store';
import type { Actor, DistrictReport } from '@app/domain';
import { findDistrict } from '@app/application';
import { EVENT_STORE, READ_MODELS } from '../event-store/event-store.module';
import { scopeCondition } from '../common/read-scope';
import type { DistrictReportView, ReportSummary } from './reports.types';

/** The newest report of a district's year, whole. */
export type LatestReport = Omit<DistrictReportView, 'earlier'>;

interface ReportRow {
  report_id: string;
  computed_at: string;
  position: string | null;
}

const summaryOf = (row: ReportRow): ReportSummary => ({
  id: row.report_id,
  computedAt: new Date(row.computed_at),
  position: row.position,
});

/** The reports slice's reads (district_reports, and the district register): the only place its SQL lives. */
@Injectable()
export class ReportQueries {
  constructor(
    @Inject(READ_MODELS) private readonly db: SqliteDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /**
   * The latest report of a district's year (GraphQL `districtReport` and the CSV/XLSX downloads), or
   * null when there is none or the district is outside the caller's scope: the scope is part of the
   * WHERE, so the two cannot be told apart.
   */
  latestReport(actor: Actor, districtCode: string, year: number): LatestReport | null {
    const params: Record<string, unknown> = { districtCode, year };
    const scope = scopeCondition(actor, { district: 'district_code' }, params);
    const row = prepared<Record<string, unknown>, ReportRow & { report: string }>(
      this.db,
      `SELECT report_id, computed_at, position, report FROM district_reports
       WHERE district_code = @districtCode AND year = @year AND ${scope}
       ORDER BY computed_at DESC, report_id DESC LIMIT 1`,
    ).get(params);
    return row ? { ...summaryOf(row), content: JSON.parse(row.report) as DistrictReport } : null;
  }

  /**
   * The reports of the same district and year that came before this one, newest first (the id breaks
   * ties between reports computed at the same instant), without their content.
   */
  earlierReports(reportId: string): ReportSummary[] {
    return prepared<[string], ReportRow>(
      this.db,
      `SELECT r.report_id, r.computed_at, r.position
       FROM district_reports r
       JOIN district_reports latest ON latest.report_id = ?
       WHERE r.district_code = latest.district_code AND r.year = latest.year
         AND (r.computed_at, r.report_id) < (latest.computed_at, latest.report_id)
       ORDER BY r.computed_at DESC, r.report_id DESC`,
    )
      .all(reportId)
      .map(summaryOf);
  }

  /** Whether the district is registered (its own stream, always current). */
  async isRegisteredDistrict(districtCode: string): Promise<boolean> {
    return (await findDistrict(this.store, districtCode)) !== null;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { prepared, type SqliteDatabase } from '@app/event-store';
import type { Actor } from '@app/domain';
import type { DashboardRow } from '@app/read-models';
import { READ_MODELS } from '../event-store/event-store.module';
import { scopeCondition } from '../common/read-scope';
import type { CodeNameView } from '../registry/registry.types';
import type { DistrictDashboard } from './dashboards.types';

/** The dashboards slice's reads: the only place its SQL lives. */
@Injectable()
export class DashboardQueries {
  constructor(@Inject(READ_MODELS) private readonly db: SqliteDatabase) {}

  /**
   * A district's live counts for a year (the district_dashboards read model), or null when there is
   * none or the district is outside the caller's scope: the scope is part of the WHERE, so the two
   * cannot be told apart.
   */
  districtDashboard(actor: Actor, districtCode: string, year: number): DistrictDashboard | null {
    const params: Record<string, unknown> = { districtCode, year };
    const scope = scopeCondition(actor, { district: 'district_code' }, params);
    const row = prepared<Record<string, unknown>, DashboardRow>(
      this.db,
      `SELECT * FROM district_dashboards WHERE district_code = @districtCode AND year = @year AND ${scope}`,
    ).get(params);
    if (!row) return null;
    return {
      districtCode,
      year,
      evaluations: row.evaluations,
      byState: { draft: row.draft, submitted: row.submitted, returned: row.returned, approved: row.approved },
      averageTotal: row.average_total,
      medianTotal: row.median_total,
      grades: { excellent: row.excellent, good: row.good, fair: row.fair, poor: row.poor },
      budget: row.budget,
      executed: row.executed,
      upperTransfer: row.upper_transfer,
      executionRatePercent: row.execution_rate_percent,
      updatedAt: new Date(row.updated_at),
    };
  }

  /**
   * The district's registered departments whose form for the year is not with the supervisor or
   * approved (none yet, a draft, or returned), by code; empty outside the caller's scope.
   */
  departmentsNotSubmitted(actor: Actor, districtCode: string, year: number): CodeNameView[] {
    const params: Record<string, unknown> = { districtCode, year };
    const scope = scopeCondition(actor, { district: 'd.district_code' }, params);
    return prepared<Record<string, unknown>, CodeNameView>(
      this.db,
      `SELECT d.code, d.name FROM departments d
       WHERE d.district_code = @districtCode AND ${scope}
         AND NOT EXISTS (
           SELECT 1 FROM evaluation_summaries s
           WHERE s.department_code = d.code AND s.year = @year AND s.state IN ('SUBMITTED', 'APPROVED'))
       ORDER BY d.code`,
    ).all(params);
  }
}

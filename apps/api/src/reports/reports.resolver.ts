import { Inject } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { EventStore, SqliteDatabase } from '@app/event-store';
import { canSee, type DistrictReport, READ_ROLES, type Actor } from '@app/evaluation';
import { findDistrict } from '@app/evaluations';
import { Allowed, Caller } from '../graphql/allowed';
import { EVENT_STORE, READ_MODELS } from '../event-store/event-store.module';
import { ReportRequests } from './report-requests';
import { DistrictReportView, ReportJob } from './reports.types';

interface ReportRow {
  report_id: string;
  computed_at: string;
  position: string | null;
  report: string;
}

/** Reports are for supervisors, auditors and administrators, within their district. */
@Resolver()
export class ReportsResolver {
  constructor(
    @Inject(READ_MODELS) private readonly db: SqliteDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly requests: ReportRequests,
  ) {}

  @Query(() => DistrictReportView, {
    nullable: true,
    description: 'the latest generated report, with the earlier ones listed',
  })
  @Allowed(READ_ROLES.districtReports)
  districtReport(
    @Caller() actor: Actor,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
  ): DistrictReportView | null {
    if (!canSee(actor, { district: districtCode, department: '' })) return null;
    const rows = this.db
      .prepare(
        'SELECT report_id, computed_at, position, report FROM district_reports WHERE district_code = ? AND year = ? ORDER BY computed_at DESC, report_id DESC',
      )
      .all(districtCode, year) as ReportRow[];
    if (rows.length === 0) return null;
    const [latest, ...earlier] = rows;
    return {
      id: latest.report_id,
      computedAt: new Date(latest.computed_at),
      position: latest.position,
      content: JSON.parse(latest.report) as DistrictReport,
      earlier: earlier.map((row) => ({
        id: row.report_id,
        computedAt: new Date(row.computed_at),
        position: row.position,
      })),
    };
  }

  @Mutation(() => ReportJob, {
    description: 'queues a fresh report; its job id can be followed with districtReportJob',
  })
  @Allowed(READ_ROLES.districtReports)
  async requestDistrictReport(
    @Caller() actor: Actor,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
  ): Promise<ReportJob> {
    // A district outside the caller's scope and one never registered get the same answer.
    const inScope = canSee(actor, { district: districtCode, department: '' });
    if (!inScope || !(await findDistrict(this.store, districtCode))) {
      throw new GraphQLError(`district ${districtCode} not found`, { extensions: { code: 'NOT_FOUND' } });
    }
    const id = await this.requests.request(districtCode, year);
    return (await this.requests.status(id)) ?? { id, state: 'waiting', reportId: null, failedReason: null };
  }

  @Query(() => ReportJob, { nullable: true })
  @Allowed(READ_ROLES.districtReports)
  async districtReportJob(@Caller() actor: Actor, @Args('id') id: string): Promise<ReportJob | null> {
    const job = await this.requests.status(id);
    if (!job || !canSee(actor, { district: job.districtCode, department: '' })) return null;
    return { id: job.id, state: job.state, reportId: job.reportId, failedReason: job.failedReason };
  }
}

import { GraphQLError } from 'graphql';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { BadInput, canSee, READ_ROLES, type Actor } from '@app/domain';
import { Allowed, Caller } from '../graphql/allowed';
import { COSTS, costs } from '../graphql/costs';
import { ReportRequests } from './report-requests';
import { ReportQueries } from './reports.queries';
import { DistrictReportView, ReportJob } from './reports.types';

/** A district-wide thing (a report, a job for one) is visible to the caller's district scope. */
const districtVisible = (actor: Actor, districtCode: string) =>
  canSee(actor, { district: districtCode, department: '' });

/** Reports are for supervisors, auditors and administrators, within their district. */
@Resolver()
export class ReportsResolver {
  constructor(
    private readonly queries: ReportQueries,
    private readonly requests: ReportRequests,
  ) {}

  @Query(() => DistrictReportView, {
    complexity: costs(COSTS.foldOrReport),
    nullable: true,
    description: 'the latest generated report, with the earlier ones listed',
  })
  @Allowed(READ_ROLES.districtReports)
  districtReport(
    @Caller() actor: Actor,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
  ): DistrictReportView | null {
    // Out of scope reads as missing: the query's scope condition leaves the rows out.
    const latest = this.queries.latestReport(actor, districtCode, year);
    return latest && { ...latest, earlier: this.queries.earlierReports(latest.id) };
  }

  @Mutation(() => ReportJob, {
    complexity: costs(COSTS.reportJob),
    description: 'queues a fresh report; its job id can be followed with districtReportJob',
  })
  @Allowed(READ_ROLES.districtReports)
  async requestDistrictReport(
    @Caller() actor: Actor,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
  ): Promise<ReportJob> {
    // A district outside the caller's scope and one never registered get the same answer.
    if (!districtVisible(actor, districtCode) || !(await this.queries.isRegisteredDistrict(districtCode))) {
      throw new GraphQLError(`district ${districtCode} not found`, { extensions: { code: 'NOT_FOUND' } });
    }
    // Years as a cycle may have them (docs/workflow.md): each job reads every form of the district and
    // keeps its report for good, so a request for year 1 or 99999 is refused, not queued.
    if (!Number.isInteger(year) || year < 2000 || year > 2100)
      throw new BadInput([{ code: 'INVALID_VALUE', path: 'year', message: '年度应在 2000 到 2100 之间' }]);
    const id = await this.requests.request(districtCode, year);
    return (await this.requests.status(id)) ?? { id, state: 'waiting', reportId: null, failedReason: null };
  }

  @Query(() => ReportJob, { nullable: true })
  @Allowed(READ_ROLES.districtReports)
  async districtReportJob(@Caller() actor: Actor, @Args('id') id: string): Promise<ReportJob | null> {
    const job = await this.requests.status(id);
    if (!job || !districtVisible(actor, job.districtCode)) return null;
    return { id: job.id, state: job.state, reportId: job.reportId, failedReason: job.failedReason };
  }
}

import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { READ_ROLES, type Actor } from '@app/domain';
import { Allowed, Caller } from '../graphql/allowed';
import { DashboardQueries } from './dashboards.queries';
import { CodeNameView } from '../registry/registry.types';
import { DistrictDashboard } from './dashboards.types';

/** A district's live dashboard: auditors, supervisors and admins, each within their district. */
@Resolver()
export class DashboardsResolver {
  constructor(private readonly queries: DashboardQueries) {}

  @Query(() => DistrictDashboard, { nullable: true })
  @Allowed(READ_ROLES.dashboards)
  districtDashboard(
    @Caller() actor: Actor,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
  ): DistrictDashboard | null {
    // Out of scope reads as missing: the query's scope condition leaves the row out.
    return this.queries.districtDashboard(actor, districtCode, year);
  }

  @Query(() => [CodeNameView], {
    description: 'Departments of the district whose form for the year is not submitted or approved',
  })
  @Allowed(READ_ROLES.dashboards)
  departmentsNotSubmitted(
    @Caller() actor: Actor,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
  ): CodeNameView[] {
    return this.queries.departmentsNotSubmitted(actor, districtCode, year);
  }
}

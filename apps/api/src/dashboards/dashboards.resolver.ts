import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { READ_ROLES, type Actor } from '@app/domain';
import { Allowed, Caller } from '../graphql/allowed';
import { DashboardQueries } from './dashboards.queries';
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
}

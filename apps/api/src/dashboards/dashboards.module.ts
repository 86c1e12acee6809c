import { Module } from '@nestjs/common';
import { DashboardQueries } from './dashboards.queries';
import { DashboardsResolver } from './dashboards.resolver';

/** District dashboards: live counts, totals and execution of a district's forms for a year. */
@Module({ providers: [DashboardQueries, DashboardsResolver] })
export class DashboardsModule {}

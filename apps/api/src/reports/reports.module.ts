import { Module } from '@nestjs/common';
import { ReportRequests } from './report-requests';
import { ReportsController } from './reports.controller';
import { ReportQueries } from './reports.queries';
import { ReportsResolver } from './reports.resolver';

/** District reports: the latest and earlier ones, requests to the worker, XLSX and CSV downloads. */
@Module({
  providers: [ReportQueries, ReportRequests, ReportsResolver],
  controllers: [ReportsController],
})
export class ReportsModule {}

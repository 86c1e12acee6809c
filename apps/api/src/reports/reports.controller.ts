import { Controller, Get, HttpStatus, Param, Req, StreamableFile } from '@nestjs/common';
import { READ_ROLES } from '@app/domain';
import type { FastifyRequest } from 'fastify';
import { callerOf, refuse } from '../http/http-auth';
import { Authenticator } from '../auth/authenticator';
import { reportCsv, reportXlsx } from './report-files';
import { ReportQueries } from './reports.queries';

/** GET /reports/:district/:year.csv and .xlsx — the latest report, same bearer auth and scope as GraphQL. */
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly queries: ReportQueries,
    private readonly authenticator: Authenticator,
  ) {}

  @Get(':district/:file')
  async export(
    @Param('district') district: string,
    @Param('file') file: string,
    @Req() request: FastifyRequest,
  ): Promise<StreamableFile> {
    const actor = await callerOf(request.headers, this.authenticator);
    if (!(READ_ROLES.districtReports as readonly string[]).includes(actor.role))
      throw refuse(HttpStatus.FORBIDDEN, 'FORBIDDEN', `role ${actor.role} may not export reports`);
    const match = /^(\d{4})\.(csv|xlsx)$/.exec(file);
    if (!match) throw refuse(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'use /reports/:district/:year.csv or .xlsx');
    const year = Number(match[1]);
    // Out of scope reads as missing: the query's scope condition leaves the rows out.
    const latest = this.queries.latestReport(actor, district, year);
    if (!latest) throw refuse(HttpStatus.NOT_FOUND, 'NOT_FOUND', `no report for ${district} ${year}`);
    const name = `district-report-${district}-${year}`;
    if (match[2] === 'csv') {
      return new StreamableFile(Buffer.from(reportCsv(latest.content), 'utf8'), {
        type: 'text/csv; charset=utf-8',
        disposition: `attachment; filename="${name}.csv"`,
      });
    }
    return new StreamableFile(await reportXlsx(latest.content), {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      disposition: `attachment; filename="${name}.xlsx"`,
    });
  }
}

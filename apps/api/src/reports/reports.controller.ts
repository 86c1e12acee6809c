import { Controller, Get, Headers, HttpStatus, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { SqliteDatabase } from '@app/event-store';
import { READ_ROLES, canSee, type DistrictReport } from '@app/evaluation';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { READ_MODELS } from '../event-store/event-store.module';
import { actorFromAuthorization, refuse } from '../http/http-auth';
import { reportCsv, reportXlsx } from './report-files';

/** GET /reports/:district/:year.csv and .xlsx — the latest report, same bearer auth and scope as GraphQL. */
@Controller('reports')
export class ReportsController {
  constructor(
    @Inject(READ_MODELS) private readonly db: SqliteDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':district/:file')
  async export(
    @Param('district') district: string,
    @Param('file') file: string,
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const actor = actorFromAuthorization(authorization, this.config.tokens);
    if (!(READ_ROLES.districtReports as readonly string[]).includes(actor.role))
      throw refuse(HttpStatus.FORBIDDEN, 'FORBIDDEN', `role ${actor.role} may not export reports`);
    const match = /^(\d{4})\.(csv|xlsx)$/.exec(file);
    if (!match) throw refuse(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'use /reports/:district/:year.csv or .xlsx');
    const year = Number(match[1]);
    const row = canSee(actor, { district, department: '' })
      ? (this.db
          .prepare(
            'SELECT report FROM district_reports WHERE district_code = ? AND year = ? ORDER BY computed_at DESC, report_id DESC LIMIT 1',
          )
          .get(district, year) as { report: string } | undefined)
      : undefined;
    if (!row) throw refuse(HttpStatus.NOT_FOUND, 'NOT_FOUND', `no report for ${district} ${year}`);
    const report = JSON.parse(row.report) as DistrictReport;
    const name = `district-report-${district}-${year}`;
    if (match[2] === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${name}.csv"`);
      res.send(reportCsv(report));
      return;
    }
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename="${name}.xlsx"`);
    res.send(await reportXlsx(report));
  }
}

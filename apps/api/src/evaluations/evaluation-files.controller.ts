import { Controller, Get, Headers, HttpStatus, Inject, Param, StreamableFile } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { actorFromAuthorization, refuse } from '../http/http-auth';
import { EvaluationsService } from './evaluations.service';
import { evaluationWorkbook } from './evaluation-workbook';

/** GET /evaluations/:id.xlsx — the current form laid out like the paper one, for whoever may read it. */
@Controller('evaluations')
export class EvaluationFilesController {
  constructor(
    private readonly evaluations: EvaluationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':file')
  async export(
    @Param('file') file: string,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<StreamableFile> {
    const actor = actorFromAuthorization(authorization, this.config.tokens);
    const match = /^(.+)\.xlsx$/.exec(file);
    if (!match) throw refuse(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'use /evaluations/:id.xlsx');
    // Out of scope looks exactly like missing, as in GraphQL.
    const state = await this.evaluations.visibleState(actor, match[1]);
    if (!state) throw refuse(HttpStatus.NOT_FOUND, 'NOT_FOUND', `no evaluation ${match[1]}`);
    return new StreamableFile(await evaluationWorkbook(state), {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      disposition: `attachment; filename="evaluation-${state.id}-v${state.version}.xlsx"`,
    });
  }
}

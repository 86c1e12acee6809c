import { Controller, Get, HttpStatus, Param, Req, StreamableFile } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { callerOf, refuse } from '../http/http-auth';
import { Authenticator } from '../auth/authenticator';
import { EvaluationsService } from './evaluations.service';
import { evaluationWorkbook } from './evaluation-workbook';

/** GET /evaluations/:id.xlsx — the current form laid out like the paper one, for whoever may read it. */
@Controller('evaluations')
export class EvaluationFilesController {
  constructor(
    private readonly evaluations: EvaluationsService,
    private readonly authenticator: Authenticator,
  ) {}

  @Get(':file')
  async export(@Param('file') file: string, @Req() request: FastifyRequest): Promise<StreamableFile> {
    const actor = await callerOf(request.headers, this.authenticator);
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

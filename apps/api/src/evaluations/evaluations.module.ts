import { Module } from '@nestjs/common';
import { EvaluationFilesController } from './evaluation-files.controller';
import { EvaluationsResolver } from './evaluations.resolver';
import { EvaluationQueries } from './evaluations.queries';
import { EvaluationsService } from './evaluations.service';

/**
 * The forms: commands with read-your-writes and one form by id (EvaluationsService, exported for the audit
 * slice's scope check), the scoped list (EvaluationQueries), and the XLSX download.
 */
@Module({
  providers: [EvaluationsService, EvaluationQueries, EvaluationsResolver],
  controllers: [EvaluationFilesController],
  exports: [EvaluationsService],
})
export class EvaluationsModule {}

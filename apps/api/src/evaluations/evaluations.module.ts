import { Module } from '@nestjs/common';
import { EvaluationFilesController } from './evaluation-files.controller';
import { EvaluationsResolver } from './evaluations.resolver';
import { EvaluationsService } from './evaluations.service';

/** The forms: commands with read-your-writes, scoped reads and lists, and the XLSX download. */
@Module({
  providers: [EvaluationsService, EvaluationsResolver],
  controllers: [EvaluationFilesController],
  exports: [EvaluationsService],
})
export class EvaluationsModule {}

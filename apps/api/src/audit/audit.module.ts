import { Module } from '@nestjs/common';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { AuditResolver } from './audit.resolver';

/** A form's history, past versions, diffs and integrity, within the caller's scope. */
@Module({ imports: [EvaluationsModule], providers: [AuditResolver] })
export class AuditModule {}

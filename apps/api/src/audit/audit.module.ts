import { Module } from '@nestjs/common';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { AuditQueries } from './audit.queries';
import { AuditResolver } from './audit.resolver';

/** A form's history, past versions, diffs and integrity, within the caller's scope. */
@Module({ imports: [EvaluationsModule], providers: [AuditQueries, AuditResolver] })
export class AuditModule {}

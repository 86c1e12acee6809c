/**
 * Child process for the crash test: runs the evaluation projections over the events already stored and
 * reports its progress; the parent kills it with SIGKILL part-way.
 */
import * as path from 'node:path';
import { ProjectionRunner, SqliteEventStore, openReadModelDatabase } from '@app/event-store';
import { AuditHistoryProjection, EvaluationSummariesProjection } from '@app/read-models';

const dir = process.argv[2];
const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
const db = openReadModelDatabase(path.join(dir, 'read-models.sqlite'));
const runner = new ProjectionRunner(store, db, [
  new EvaluationSummariesProjection(),
  new AuditHistoryProjection(),
]);

void runner.start().then(() => {
  setInterval(
    () =>
      process.stdout.write(
        `progress ${runner
          .status()
          .map((s) => s.checkpoint ?? '-')
          .join(' ')}\n`,
      ),
    5,
  );
});

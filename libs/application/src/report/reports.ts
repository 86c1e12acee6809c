import { randomUUID } from 'node:crypto';
import { positionToString, type EventStore } from '@app/event-store';
import { buildDistrictReport, departmentLine, evaluationIdFor, type DistrictReport } from '@app/domain';
import { readCycle } from '../cycle/cycles';
import { readEvaluation } from '../evaluation/read-evaluation';

export const REPORT_STREAM_PREFIX = 'report-';
export const reportStreamId = (districtCode: string, year: number) =>
  `${REPORT_STREAM_PREFIX}${districtCode}.${year}`;

export interface GeneratedReport {
  reportId: string;
  /** position of the log the report was computed at (what it had seen) */
  position: string | null;
  report: DistrictReport;
}

/**
 * Computes the district report from its registered departments (the caller reads them from the registry
 * read model) and each one's form folded from its events, and keeps it as an event on the district's
 * report stream: a report is a fact in time, never overwritten.
 */
export async function generateDistrictReport(
  store: EventStore,
  departments: ReadonlyArray<{ code: string; name: string }>,
  districtCode: string,
  year: number,
  now: Date,
  correlationId: string,
): Promise<GeneratedReport> {
  const head = await store.headPosition();
  // Each form is reduced to its line as soon as it is read, and dropped.
  const lines = [];
  for (const department of departments) {
    const evaluation = await readEvaluation(store, evaluationIdFor(department.code, year));
    lines.push(departmentLine({ department, evaluation }));
  }
  const { state: cycle } = await readCycle(store, `${districtCode}.${year}`);
  const report = buildDistrictReport(
    districtCode,
    year,
    cycle.status === 'OPEN' ? cycle.deadline : null,
    lines,
    now,
  );
  const reportId = randomUUID();
  const position = head ? positionToString(head) : null;
  await store.appendToStream(
    reportStreamId(districtCode, year),
    [
      {
        eventId: reportId,
        type: 'DistrictReportGenerated',
        data: { reportId, position, report },
        metadata: {
          actor: { id: 'worker', role: 'SYSTEM' },
          correlationId,
          causationId: correlationId,
          occurredAt: now.toISOString(),
        },
      },
    ],
    { expectedRevision: 'any' },
  );
  return { reportId, position, report };
}

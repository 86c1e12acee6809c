import {
  rebuildProjections,
  type EventStore,
  type Projection,
  type RebuildResult,
  type SqliteDatabase,
} from '@app/event-store';
import {
  AuditHistoryProjection,
  DistrictReportsProjection,
  EvaluationSummariesProjection,
  NotificationsProjection,
  RegistryProjection,
} from '@app/read-models';

/** The API's read models: what the service runs and what `npm run projections:rebuild` can rebuild. */
export const apiProjections = (): Projection[] => [
  new EvaluationSummariesProjection(),
  new AuditHistoryProjection(),
  new RegistryProjection(),
  new NotificationsProjection(),
  new DistrictReportsProjection(),
];

export class UnknownProjection extends Error {}

/** Rebuilds the named read models (all when none is named) in one pass over the log. */
export async function rebuildReadModels(
  store: EventStore,
  db: SqliteDatabase,
  names: string[],
): Promise<RebuildResult[]> {
  const projections = apiProjections();
  const unknown = names.filter((name) => !projections.some((p) => p.name === name));
  if (unknown.length > 0)
    throw new UnknownProjection(
      `unknown projection(s): ${unknown.join(', ')}; known: ${projections.map((p) => p.name).join(', ')}`,
    );
  return rebuildProjections(
    store,
    db,
    projections.filter((p) => names.length === 0 || names.includes(p.name)),
  );
}

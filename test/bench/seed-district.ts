import { randomUUID } from 'node:crypto';
import type { EventStore, SqliteDatabase } from '@app/event-store';
import { rebuildProjection } from '@app/event-store';
import { evaluationStreamId, openCycle } from '@app/application';
import { RegistryProjection } from '@app/read-models';
import { generatedEvaluationEvents } from '@app/application/testing/generated-history';
import { exampleForm } from '@app/domain/testing/fixtures';

const admin = { id: 'bench', role: 'ADMIN' } as const;
const metadata = {
  actor: admin,
  correlationId: 'bench',
  causationId: 'bench',
  occurredAt: new Date(0).toISOString(),
};

/**
 * A registered district of `departments` departments, each with a form (a third of them submitted), its
 * 2021 cycle open, and the registry read model rebuilt over it: what a district report or a reminder run
 * reads. Resolves to the cycle's id and deadline.
 */
export async function seedDistrict(
  store: EventStore,
  readModels: SqliteDatabase,
  districtCode: string,
  departments: number,
): Promise<{ cycleId: string; deadline: string }> {
  const district = { code: districtCode, name: `${districtCode}区` };
  await store.appendToStream(
    `district-${districtCode}`,
    [
      {
        eventId: randomUUID(),
        type: 'DistrictRegistered',
        data: { ...district, registeredAt: metadata.occurredAt },
        metadata,
      },
    ],
    { expectedRevision: 'no_stream' },
  );
  const form = { ...exampleForm(), district };
  for (let i = 0; i < departments; i++) {
    const { evaluationId, events } = generatedEvaluationEvents(form, i, 1);
    const code = evaluationId.split('.')[0];
    await store.appendToStream(
      `department-${code}`,
      [
        {
          eventId: randomUUID(),
          type: 'DepartmentRegistered',
          data: { code, name: `部门${i}`, districtCode, registeredAt: metadata.occurredAt },
          metadata,
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const submitted =
      i % 3 === 0
        ? [
            {
              eventId: randomUUID(),
              type: 'EvaluationSubmitted',
              schemaVersion: 1,
              data: {
                evaluationId,
                submittedAt: metadata.occurredAt,
                by: { id: 'c', role: 'DEPARTMENT' },
                total: '98.35',
                warnings: [],
              },
              metadata,
            },
          ]
        : [];
    await store.appendToStream(evaluationStreamId(evaluationId), [...events, ...submitted], {
      expectedRevision: 'no_stream',
    });
  }
  await rebuildProjection(store, readModels, new RegistryProjection());
  const { state } = await openCycle(
    store,
    {
      type: 'OpenCycle',
      data: { districtCode, year: 2021, deadline: '2030-01-01T00:00:00Z' },
      metadata: { actor: admin, now: new Date() },
    },
    { correlationId: 'bench', commandId: randomUUID() },
  );
  if (state.status !== 'OPEN') throw new Error('cycle not opened');
  return { cycleId: state.cycleId, deadline: state.deadline };
}

import { type ProjectionHost, type EventStore } from '@app/event-store';
import { evaluationDiff, evaluationStreamId } from '@app/application';
import { generatedEvaluationEvents } from '@app/application/testing/generated-history';
import { exampleForm } from '@app/domain/testing/fixtures';
import { EVENT_STORE, PROJECTIONS } from '../event-store/event-store.module';
import { actors } from '../testing/graphql-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';

const LENGTH = 1200;

describe('a form with a long history, at a past version', () => {
  let api: TestApp;
  let store: EventStore;
  let id: string;
  beforeAll(async () => {
    api = await startTestApp();
    store = api.app.get(EVENT_STORE);
    const generated = generatedEvaluationEvents(exampleForm(), 0, LENGTH);
    id = generated.evaluationId;
    let position = null;
    for (let i = 0; i < LENGTH; i += 1000)
      ({ position } = await store.appendToStream(
        evaluationStreamId(id),
        generated.events.slice(i, i + 1000),
        {
          expectedRevision: i === 0 ? 'no_stream' : i - 1,
        },
      ));
    await api.app.get<ProjectionHost>(PROJECTIONS).waitFor(position!, { timeoutMs: 10_000 });
  });
  afterAll(() => api.close());

  it('is folded from the latest snapshot before it: the events after the snapshot are all that is read', async () => {
    const read = jest.spyOn(store, 'readStream');
    try {
      const answer = await api
        .gql(`{ evaluationAt(id: "${id}", version: 1150) { version } }`, {}, actors.auditor)
        .expect(200);
      expect(answer.body).toEqual({ data: { evaluationAt: { version: 1150 } } });
      const results = await Promise.all(read.mock.results.map((r) => r.value as Promise<unknown[]>));
      // the snapshot at version 1000, then events 1001..1150
      expect(results.reduce((n, events) => n + events.length, 0)).toBe(150);
    } finally {
      read.mockRestore();
    }
  });

  it('a diff of two far versions answers as the fold from the first event would', async () => {
    const answer = await api
      .gql(
        `{ evaluationDiff(id: "${id}", fromVersion: 1, toVersion: 1199) { path before after } }`,
        {},
        actors.auditor,
      )
      .expect(200);
    expect(answer.body.errors).toBeUndefined();
    const folded = await evaluationDiff(store, id, 1, 1199); // no snapshots: every event from the first
    expect(folded.length).toBeGreaterThan(0);
    expect(answer.body.data.evaluationDiff).toEqual(
      folded.map(({ path, before, after }) => ({ path, before: before ?? null, after: after ?? null })),
    );
  });
});

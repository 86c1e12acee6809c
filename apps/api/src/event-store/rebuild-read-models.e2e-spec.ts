import { READ_MODELS, EVENT_STORE } from './event-store.module';
import { type EventStore, type SqliteDatabase } from '@app/event-store';
import { startTestApp, type TestApp } from '../testing/test-app';
import { actors, seedExample } from '../testing/graphql-fixtures';
import { UnknownProjection, apiProjections, rebuildReadModels } from './api-projections';

describe('npm run projections:rebuild (rebuildReadModels) while the API runs', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  it('rebuilds any read model the service runs, by name, and the service reads the same afterwards', async () => {
    const departments = () => api.gql('{ departments { code } }', {}, actors.admin).then((r) => r.body.data);
    const before = await departments();
    const results = await rebuildReadModels(
      api.app.get<EventStore>(EVENT_STORE),
      api.app.get<SqliteDatabase>(READ_MODELS),
      ['registry', 'notifications', 'district-reports'],
    );
    expect(results.map((r) => [r.projection, r.generation])).toEqual([
      ['registry', 2],
      ['notifications', 2],
      ['district-reports', 2],
    ]);
    expect(results[0].events).toBe(3); // one district, two departments
    expect(await departments()).toEqual(before);
  });

  it('knows every read model of the service, and names them when asked for an unknown one', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const db = api.app.get<SqliteDatabase>(READ_MODELS);
    await expect(rebuildReadModels(store, db, ['dashboards'])).rejects.toThrow(UnknownProjection);
    await expect(rebuildReadModels(store, db, ['dashboards'])).rejects.toThrow(
      apiProjections()
        .map((p) => p.name)
        .join(', '),
    );
  });
});

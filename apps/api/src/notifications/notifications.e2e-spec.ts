import type { EventStore } from '@app/event-store';
import type { ProjectionHost } from '@app/event-store';
import { notificationStreamId, recordDelivery, recordReminder } from '@app/application';
import { EVENT_STORE, PROJECTIONS } from '../event-store/event-store.module';
import { startTestApp, type TestApp } from '../testing/test-app';
import { DEPARTMENT, actors, seedExample, codeOf } from '../testing/graphql-fixtures';

describe('notifications over GraphQL', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  it('a department sees its own notifications with their delivery state, and nobody else’s', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const eventId = await recordReminder(
      store,
      {
        cycleId: 'wangcheng.2021',
        districtCode: 'wangcheng',
        year: 2021,
        department: DEPARTMENT,
        milestone: 'before:3d',
        kind: 'REMINDER',
        deadline: '2022-04-15T10:00:00.000Z',
        dueAt: '2022-04-12T10:00:00.000Z',
        recordedAt: '2022-04-12T10:00:01.000Z',
      },
      'test',
    );
    await recordDelivery(store, DEPARTMENT.code, eventId, new Date('2022-04-12T10:00:02.000Z'));
    const head = (await store.headPosition())!;
    await api.app
      .get<ProjectionHost>(PROJECTIONS)
      .waitFor(head, { streamId: notificationStreamId(DEPARTMENT.code), timeoutMs: 5000 });

    const query =
      '{ notifications { edges { node { id kind milestone cycleId deadline deliveredAt } } pageInfo { hasNextPage } } }';
    const mine = await api.gql(query, {}, actors.clerk);
    expect(mine.body.data.notifications).toEqual({
      edges: [
        {
          node: {
            id: eventId,
            kind: 'REMINDER',
            milestone: 'before:3d',
            cycleId: 'wangcheng.2021',
            deadline: '2022-04-15T10:00:00.000Z',
            deliveredAt: '2022-04-12T10:00:02.000Z',
          },
        },
      ],
      pageInfo: { hasNextPage: false },
    });
    expect((await api.gql(query, {}, actors.otherClerk)).body.data.notifications.edges).toEqual([]);
    expect(codeOf((await api.gql(query, {}, actors.supervisor)).body)).toBe('FORBIDDEN');
  });
});

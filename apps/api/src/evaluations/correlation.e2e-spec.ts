import request from 'supertest';
import { signToken } from '../auth/tokens';
import { startTestApp, type TestApp } from '../testing/test-app';
import { EVALUATION_ID, actors, seedExample } from '../testing/graphql-fixtures';

describe('correlation ids', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  it('a caller’s x-correlation-id is echoed and recorded in the events it causes', async () => {
    const response = await request(api.app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${signToken(actors.clerk, api.config.jwtSecret)}`)
      .set('x-correlation-id', 'trace-2022-0301')
      .send({
        query: `mutation { submitEvaluation(id: "${EVALUATION_ID}", expectedVersion: 1) { version } }`,
      })
      .expect(200);
    expect(response.headers['x-correlation-id']).toBe('trace-2022-0301');
    const history = await api.gql(
      `{ evaluationHistory(id: "${EVALUATION_ID}") { edges { node { version correlationId } } } }`,
      {},
      actors.auditor,
    );
    expect(history.body.data.evaluationHistory.edges[1].node).toEqual({
      version: 2,
      correlationId: 'trace-2022-0301',
    });
  });

  it('without one, a fresh id is made, returned and recorded', async () => {
    const response = await request(api.app.getHttpServer())
      .post('/graphql')
      .send({ query: '{ __typename }' })
      .expect(200);
    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    // Nothing spent hashing answers nobody revalidates, and no framework banner.
    expect(response.headers.etag).toBeUndefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

import request from 'supertest';
import type { Actor } from '@app/domain';
import { DEVELOPMENT_JWT_SECRET } from '../config/app-config';
import { startTestApp, type TestApp } from '../testing/test-app';
import { signToken, tokenVerifier } from './tokens';

const admin: Actor = { id: 'admin-1', role: 'ADMIN' };
const LIMIT = 4;

/**
 * One set of verifier options (issuer, audience, lifetime) from the configuration reaches every place
 * that reads a bearer token: GraphQL, both downloads, the queue board and the rate limiter.
 */
describe('token checks are the same everywhere a token is read', () => {
  let api: TestApp;
  let limited: TestApp;
  const tokens = tokenVerifier(DEVELOPMENT_JWT_SECRET, {
    issuer: 'perf-eval-test',
    audience: 'perf-eval-api',
    maxTtlSeconds: 3600,
  });
  beforeAll(async () => {
    api = await startTestApp({ tokens });
    limited = await startTestApp({ tokens, rateLimitPerMinute: LIMIT });
  });
  afterAll(async () => {
    await api.close();
    await limited.close();
  });

  /** Right secret and lifetime, but no issuer or audience: what a token from another installation looks like. */
  const foreign = () => signToken(admin, DEVELOPMENT_JWT_SECRET, '30m');
  /** Right issuer and audience, but 2 hours long where 1 is the maximum. */
  const tooLong = () => signToken(admin, api.config.tokens, '2h');

  const gql = (token: string, on = api) =>
    request(on.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${token}`)
      .send({ query: '{ departments(districtCode: "wangcheng") { code } }' });
  const get = (path: string, token: string) =>
    request(api.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`);

  it('a token the configuration accepts works on GraphQL, the downloads and the board; the others are refused', async () => {
    const good = api.token(admin);
    const goodAnswer = await gql(good);
    expect(goodAnswer.body.errors).toBeUndefined();
    expect(goodAnswer.body.data).toEqual({ departments: [] });
    expect((await get('/reports/wangcheng/2021.csv', good)).status).toBe(404);
    expect((await get('/evaluations/wangcheng-x.2021.xlsx', good)).status).toBe(404);
    expect((await get('/admin/queues/', good)).status).toBe(200);

    for (const [bad, reason] of [
      [foreign(), 'invalid token: token issuer not accepted'],
      [tooLong(), 'invalid token: token lifetime exceeds the maximum (AUTH_MAX_TOKEN_TTL)'],
    ]) {
      const answer = await gql(bad);
      expect(answer.body.data ?? null).toBeNull();
      expect(answer.body.errors[0]).toMatchObject({
        message: reason,
        extensions: { code: 'UNAUTHENTICATED' },
      });
      for (const path of [
        '/reports/wangcheng/2021.csv',
        '/evaluations/wangcheng-x.2021.xlsx',
        '/admin/queues/',
      ]) {
        const refused = await get(path, bad);
        expect([path, refused.status, refused.body.errors?.[0]?.extensions?.code]).toEqual([
          path,
          401,
          'UNAUTHENTICATED',
        ]);
      }
    }
  });

  it('the rate limiter keys a refused token by address, not by the subject it claims', async () => {
    const anonymous = () =>
      request(limited.app.getHttpServer()).post('/graphql').set('content-type', 'application/json').send({
        query: '{ __typename }',
      });
    // use up this address's window
    let status = 0;
    for (let i = 0; i <= LIMIT && status !== 429; i++) status = (await anonymous()).status;
    expect(status).toBe(429);
    // a token that verifies with the bare secret but not with the configured options gets no window of its own
    expect((await gql(foreign(), limited)).status).toBe(429);
    // a valid token has its own window
    expect((await gql(limited.token(admin), limited)).status).toBe(200);
  });
});

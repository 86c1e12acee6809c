import request from 'supertest';
import { EVALUATION_ID, actors, formMutation, seedExample } from '../testing/graphql-fixtures';
import { download } from '../testing/downloads';
import { startTestApp, type TestApp } from '../testing/test-app';
import { DEMO_IDENTITIES } from './demo-identities';

const FORM_QUERY = `{ evaluation(id: "${EVALUATION_ID}") { id version } }`;

/** The cookie's name=value and its attributes, from a Set-Cookie header. */
function cookieOf(response: request.Response): { pair: string; attributes: string[] } {
  const [pair, ...attributes] = String(response.headers['set-cookie']?.[0] ?? '').split('; ');
  return { pair, attributes };
}

describe('the console session: an HttpOnly cookie instead of a token in the browser', () => {
  let api: TestApp;
  const http = () => request(api.app.getHttpServer());
  const signIn = (body: object) =>
    http().post('/auth/session').set('content-type', 'application/json').send(body);

  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  it('development: the demo identities are listed and signing in as one sets a SameSite=Strict HttpOnly cookie', async () => {
    const config = await http().get('/auth/config').expect(200);
    expect(config.body).toEqual({
      methods: { oidc: false, demo: true },
      oidc: null,
      sessionPath: '/auth/session',
    });
    const listed = await http().get('/auth/demo-identities').expect(200);
    expect(listed.body.map((entry: { key: string }) => entry.key)).toEqual(Object.keys(DEMO_IDENTITIES));
    expect(listed.body[1]).toEqual({
      key: 'DEPARTMENT',
      actor: { id: 'demo-clerk', role: 'DEPARTMENT', department: 'wangcheng-shzlfwzx', district: null },
    });

    const signedIn = await signIn({ demoIdentity: 'SUPERVISOR' }).expect(200);
    expect(signedIn.body.actor).toMatchObject({
      id: 'demo-supervisor',
      role: 'SUPERVISOR',
      district: 'wangcheng',
    });
    const { pair, attributes } = cookieOf(signedIn);
    expect(pair).toMatch(/^perf-eval-session=[\w.-]+$/);
    expect(attributes).toEqual(['Path=/', 'Max-Age=28800', 'HttpOnly', 'SameSite=Strict']);

    // The cookie alone: GraphQL, the current session, and a download.
    const form = await http()
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('cookie', pair)
      .send({
        query: FORM_QUERY,
      });
    expect(form.body).toEqual({ data: { evaluation: { id: EVALUATION_ID, version: 1 } } });
    expect((await http().get('/auth/session').set('cookie', pair).expect(200)).body.actor.id).toBe(
      'demo-supervisor',
    );
    const file = await download(api.app.getHttpServer(), `/evaluations/${EVALUATION_ID}.xlsx`).set(
      'cookie',
      pair,
    );
    expect(file.status).toBe(200);
    // Same scope as a token: the demo clerk belongs to the example's department, another clerk would not.
    expect(await signIn({ demoIdentity: 'NOBODY' }).expect(400)).toBeTruthy();
  });

  it('a token signs in; a bad token, a form-encoded or text/plain body, or another origin does not', async () => {
    const good = await signIn({ token: api.token(actors.clerk) }).expect(200);
    expect(good.body.actor).toEqual({
      id: 'clerk-1',
      role: 'DEPARTMENT',
      department: actors.clerk.department,
      district: null,
    });
    const bad = await signIn({ token: `${api.token(actors.clerk)}x` }).expect(401);
    expect(bad.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(bad.headers['set-cookie']).toBeUndefined();
    // What a cross-site <form> can send: text/plain shaped like JSON, or urlencoded. Neither signs in.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const forged = await http()
        .post('/auth/session')
        .set('content-type', type)
        .send(JSON.stringify({ demoIdentity: 'ADMIN' }));
      expect([type, forged.status, forged.headers['set-cookie']]).toEqual([type, 415, undefined]);
    }
    const crossOrigin = await signIn({ demoIdentity: 'ADMIN' }).set('origin', 'https://evil.example');
    expect([crossOrigin.status, crossOrigin.headers['set-cookie']]).toEqual([403, undefined]);
  });

  it('a cookie-authenticated request cannot be forged by another site', async () => {
    const { pair } = cookieOf(await signIn({ demoIdentity: 'DEPARTMENT' }).expect(200));
    const mutation = formMutation('updateNarrative', EVALUATION_ID);
    // A cross-site form POST (simple content type): Apollo's CSRF prevention refuses it before it runs.
    const form = await http()
      .post('/graphql')
      .set('cookie', pair)
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`query=${encodeURIComponent(mutation)}`);
    expect(form.status).toBe(400);
    // A page of another origin that could send JSON (same site, no CORS needed to send): not signed in.
    const foreign = await http()
      .post('/graphql')
      .set('cookie', pair)
      .set('origin', 'https://evil.example')
      .set('content-type', 'application/json')
      .send({ query: mutation });
    expect(foreign.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // Nothing changed: the form is still at version 1. Then the same origin may act.
    expect((await api.gql(FORM_QUERY, {}, actors.clerk)).body.data.evaluation.version).toBe(1);
    const own = await http()
      .post('/graphql')
      .set('cookie', pair)
      .set('host', 'perf-eval.example')
      .set('origin', 'https://perf-eval.example')
      .set('content-type', 'application/json')
      .send({ query: mutation });
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.updateNarrative.version).toBe(2);
  });

  it('signing out overwrites the cookie with an expired one', async () => {
    const out = await http().delete('/auth/session').expect(204);
    expect(cookieOf(out)).toEqual({
      pair: 'perf-eval-session=',
      attributes: ['Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Strict'],
    });
    expect((await http().get('/auth/session').expect(401)).body.errors[0].extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('the console session in production', () => {
  let api: TestApp;
  const http = () => request(api.app.getHttpServer());
  beforeAll(async () => (api = await startTestApp({ production: true })));
  afterAll(() => api.close());

  it('has no demo identities (404 like a route that does not exist) and a Secure __Host- cookie', async () => {
    const listed = await http().get('/auth/demo-identities');
    expect([listed.status, listed.body]).toEqual([
      404,
      { statusCode: 404, error: 'Not Found', message: 'Cannot GET /auth/demo-identities' },
    ]);
    // …which is what a route that does not exist answers
    expect((await http().get('/auth/no-such-route')).body.message).toBe('Cannot GET /auth/no-such-route');
    const demo = await http()
      .post('/auth/session')
      .set('content-type', 'application/json')
      .send({ demoIdentity: 'ADMIN' });
    expect([demo.status, demo.headers['set-cookie']]).toEqual([404, undefined]);
    expect((await http().get('/auth/config').expect(200)).body.methods).toEqual({ oidc: false, demo: false });

    const signedIn = await http()
      .post('/auth/session')
      .set('content-type', 'application/json')
      .send({ token: api.token(actors.admin) })
      .expect(200);
    const { pair, attributes } = cookieOf(signedIn);
    expect(pair).toMatch(/^__Host-perf-eval-session=/);
    expect(attributes).toEqual(['Path=/', 'Max-Age=28800', 'HttpOnly', 'SameSite=Strict', 'Secure']);
  });
});

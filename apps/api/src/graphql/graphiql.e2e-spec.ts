import request from 'supertest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { GRAPHIQL_CSP } from './graphiql';

describe('GraphiQL at /graphiql, development only, everything from the service itself', () => {
  let dev: TestApp;
  let production: TestApp;
  beforeAll(async () => {
    dev = await startTestApp();
    production = await startTestApp({ production: true });
  });
  afterAll(async () => {
    await dev.close();
    await production.close();
  });

  it('serves the page and each file it loads from its own origin, under a policy allowing nothing else', async () => {
    const page = await request(dev.app.getHttpServer()).get('/graphiql').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(GRAPHIQL_CSP);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual([
      '/graphiql/assets/graphiql.css',
      '/graphiql/assets/react.js',
      '/graphiql/assets/react-dom.js',
      '/graphiql/assets/graphiql.js',
      '/graphiql/assets/start.js',
    ]);
    for (const asset of assets) {
      const file = await request(dev.app.getHttpServer()).get(asset);
      expect([asset, file.status]).toEqual([asset, 200]);
      expect(file.headers['content-type']).toMatch(
        asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
      expect(Number(file.headers['content-length'] ?? file.text.length)).toBeGreaterThan(100);
    }
    const graphiql = await request(dev.app.getHttpServer()).get('/graphiql/assets/graphiql.js');
    expect(graphiql.text).toContain('createFetcher');
    expect((await request(dev.app.getHttpServer()).get('/graphiql/assets/..%2Fpackage.json')).status).toBe(
      404,
    );
  });

  it('its requests pass the CSRF guard as the IDE sends them (JSON POST), and a simple one does not', async () => {
    const json = await request(dev.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: '{ __typename }' });
    expect(json.body).toEqual({ data: { __typename: 'Query' } });
    const simple = await request(dev.app.getHttpServer())
      .get('/graphql?query=%7B__typename%7D')
      .set('accept', 'application/json');
    expect(simple.status).toBe(400);
  });

  it('production answers 404 for the page and its files', async () => {
    for (const path of ['/graphiql', '/graphiql/assets/graphiql.js', '/graphiql/assets/start.js']) {
      const answer = await request(production.app.getHttpServer()).get(path);
      expect([path, answer.status]).toEqual([path, 404]);
    }
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, createPublicKey } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import request from 'supertest';
import { EVALUATION_ID, actors, seedExample } from '../testing/graphql-fixtures';
import { download } from '../testing/downloads';
import { startTestApp, type TestApp } from '../testing/test-app';
import { defaultAuthSettings, readAuthSettings } from './auth-config';

type Key = {
  kid: string;
  alg: 'RS256' | 'ES256' | 'RS512';
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  jwk: JWK;
};

async function newKey(kid: string, alg: Key['alg']): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/**
 * A stand-in identity provider on a local port: its discovery document and its key set, which a test
 * can change (key rotation). It counts key-set fetches, so the test sees the new kid was fetched.
 */
async function startProvider() {
  const provider = { issuer: '', published: [] as Key[], jwksFetches: 0, server: null as unknown as Server };
  provider.server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      res.end(
        JSON.stringify({
          issuer: provider.issuer,
          jwks_uri: `${provider.issuer}/keys`,
          authorization_endpoint: `${provider.issuer}/authorize`,
          token_endpoint: `${provider.issuer}/token`,
        }),
      );
    } else if (req.url === '/keys') {
      provider.jwksFetches += 1;
      res.end(JSON.stringify({ keys: provider.published.map((key) => key.jwk) }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
  provider.issuer = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
  return provider;
}

const AUDIENCE = 'perf-eval-console';

describe('OIDC tokens from the identity provider (RS256/ES256 against its JWKS)', () => {
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let api: TestApp;
  let rsa: Key;
  let ec: Key;

  /** A token as the provider issues it: claims under the names this installation configured. */
  const token = (
    key: Key,
    claims: Record<string, unknown> = { perf_eval: { role: 'DEPARTMENT' }, dept: actors.clerk.department },
    options: { issuer?: string; audience?: string; expiresIn?: string | number; iatOffset?: number } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setSubject('oidc-clerk')
      .setIssuer(options.issuer ?? provider.issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) + (options.iatOffset ?? 0))
      .setExpirationTime(options.expiresIn ?? '10m')
      .sign(key.privateKey);

  const readForm = (bearer: string) =>
    request(api.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${bearer}`)
      .send({ query: `{ evaluation(id: "${EVALUATION_ID}") { id } }` });

  const expectRefused = async (bearer: string) => {
    const answer = await readForm(bearer);
    expect(answer.body.data).toEqual({ evaluation: null });
    expect(answer.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(
      (await download(api.app.getHttpServer(), `/evaluations/${EVALUATION_ID}.xlsx`, bearer)).status,
    ).toBe(401);
  };

  beforeAll(async () => {
    provider = await startProvider();
    rsa = await newKey('rsa-1', 'RS256');
    ec = await newKey('ec-1', 'ES256');
    provider.published = [rsa, ec];
    const problems: string[] = [];
    // From the environment as an operator sets it: no OIDC_JWKS_URI, so the key set comes from discovery.
    const auth = readAuthSettings(
      {
        OIDC_ISSUER: provider.issuer,
        OIDC_AUDIENCE: AUDIENCE,
        OIDC_ROLE_CLAIM: 'perf_eval.role',
        OIDC_DEPARTMENT_CLAIM: 'dept',
        OIDC_DISTRICT_CLAIM: 'dist',
      },
      false,
      12 * 3600,
      problems,
    );
    expect(problems).toEqual([]);
    api = await startTestApp({ auth: { ...auth, oidc: { ...auth.oidc!, jwksCooldownMs: 0 } } });
    await seedExample(api);
  });
  afterAll(async () => {
    await api?.close();
    await new Promise((resolve) => provider.server.close(resolve));
  });

  it('an RS256 or ES256 token maps its configured claims onto the actor, for GraphQL and downloads', async () => {
    for (const key of [rsa, ec]) {
      const bearer = await token(key);
      const answer = await readForm(bearer);
      expect(answer.body).toEqual({ data: { evaluation: { id: EVALUATION_ID } } });
      const file = await download(api.app.getHttpServer(), `/evaluations/${EVALUATION_ID}.xlsx`, bearer);
      expect(file.status).toBe(200);
    }
    // Another department's clerk from the provider sees nothing, as with an HS256 token.
    const other = await token(rsa, { perf_eval: { role: 'DEPARTMENT' }, dept: 'wangcheng-other' });
    expect((await readForm(other)).body).toEqual({ data: { evaluation: null } });
    // A district claim under its configured name scopes a supervisor.
    const supervisor = await token(ec, {
      perf_eval: { role: ['SUPERVISOR', 'unrelated'] },
      dist: 'wangcheng',
    });
    expect((await readForm(supervisor)).body.data.evaluation).toEqual({ id: EVALUATION_ID });
  });

  it('a rotated key (a new kid) is fetched; a key no longer published is refused', async () => {
    const rotated = await newKey('rsa-2', 'RS256');
    provider.published = [rotated, ec];
    const before = provider.jwksFetches;
    expect((await readForm(await token(rotated))).body.data.evaluation).toEqual({ id: EVALUATION_ID });
    expect(provider.jwksFetches).toBeGreaterThan(before);
    // rsa-1 is gone from the set: its tokens (fresh ones, not cached) now fail.
    await expectRefused(await token(rsa, undefined, { expiresIn: '9m' }));
    provider.published = [rsa, ec, rotated];
  });

  it('wrong issuer, wrong audience, expired, too long, unknown role or missing scope claim: 401 like a bad token', async () => {
    await expectRefused(await token(rsa, undefined, { issuer: 'https://elsewhere.example' }));
    await expectRefused(await token(rsa, undefined, { audience: 'another-app' }));
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await token(rsa, undefined, { iatOffset: -3600, expiresIn: now - 600 }));
    await expectRefused(await token(rsa, undefined, { expiresIn: '13h' }));
    await expectRefused(await token(rsa, { perf_eval: { role: 'ROOT' }, dept: actors.clerk.department }));
    await expectRefused(await token(rsa, { perf_eval: { role: ['ADMIN', 'AUDITOR'] }, dist: 'wangcheng' }));
    await expectRefused(await token(rsa, { perf_eval: { role: 'DEPARTMENT' } }));
    await expectRefused(await token(ec, { perf_eval: { role: 'SUPERVISOR' } }));
  });

  it('alg none and HS256 signed with the provider public key are refused', async () => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: 'mallory',
      perf_eval: { role: 'ADMIN' },
      iss: provider.issuer,
      aud: AUDIENCE,
      iat: now,
      exp: now + 600,
    };
    await expectRefused(`${b64({ alg: 'none', kid: rsa.kid })}.${b64(claims)}.`);
    // The classic confusion: the public key (as PEM, as a naive verifier would load it) used as an HMAC secret.
    const pem = createPublicKey({ key: rsa.jwk as never, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const unsigned = `${b64({ alg: 'HS256', kid: rsa.kid })}.${b64(claims)}`;
    const forged = `${unsigned}.${createHmac('sha256', pem).update(unsigned).digest('base64url')}`;
    await expectRefused(forged);
    // RS512 is a fine algorithm, but not one configured: refused.
    const rs512 = await newKey('rsa-512', 'RS512');
    provider.published = [...provider.published, rs512];
    await expectRefused(await token(rs512));
  });

  it('a verified OIDC token becomes a session cookie the API accepts without any header', async () => {
    const signedIn = await request(api.app.getHttpServer())
      .post('/auth/session')
      .set('content-type', 'application/json')
      .send({ token: await token(ec) })
      .expect(200);
    expect(signedIn.body.actor).toEqual({
      id: 'oidc-clerk',
      role: 'DEPARTMENT',
      department: actors.clerk.department,
      district: null,
    });
    const cookie = signedIn.headers['set-cookie'][0].split(';')[0];
    const answer = await request(api.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('cookie', cookie)
      .send({ query: `{ evaluation(id: "${EVALUATION_ID}") { id } }` });
    expect(answer.body).toEqual({ data: { evaluation: { id: EVALUATION_ID } } });
    const config = await request(api.app.getHttpServer()).get('/auth/config').expect(200);
    expect(config.body).toEqual({
      methods: { oidc: true, demo: true },
      oidc: {
        issuer: provider.issuer,
        clientId: AUDIENCE,
        scopes: 'openid profile',
        redirectPath: '/console/callback',
        authorizationEndpoint: `${provider.issuer}/authorize`,
        tokenEndpoint: `${provider.issuer}/token`,
        endSessionEndpoint: null,
      },
      sessionPath: '/auth/session',
    });
  });

  it('configuration: OIDC needs an audience, https in production, known algorithms; AUTH_DEMO never in production', () => {
    const problems: string[] = [];
    readAuthSettings({ OIDC_ISSUER: 'http://idp.example', OIDC_ALGORITHMS: 'HS256' }, true, 3600, problems);
    readAuthSettings({ AUTH_DEMO: 'true' }, true, 3600, problems);
    expect(problems).toEqual([
      'OIDC_ISSUER must be an https:// URL in production',
      'OIDC_AUDIENCE must be set with OIDC_ISSUER',
      'OIDC_ALGORITHMS must list some of RS256, ES256',
      'AUTH_DEMO=true is refused when NODE_ENV=production',
    ]);
    expect(defaultAuthSettings(true).demoSignIn).toBe(false);
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { readAuthSettings } from '../../api/src/auth/auth-config';
import { screenshot, startConsole, type ConsoleUnderTest } from './console-harness';
import { seedExample } from '../../api/src/testing/graphql-fixtures';

const CLIENT_ID = 'perf-eval-console';
const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * A stand-in identity provider: it signs the user in at once (a real one would ask), hands out a code
 * bound to the PKCE challenge, and exchanges it, with the verifier only, for an RS256 ID token.
 */
async function startProvider() {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirect: string; nonce: string }>();
  const provider = {
    issuer: '',
    consoleOrigin: '',
    exchanged: [] as string[],
    server: null as unknown as Server,
  };
  provider.server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', provider.issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      return res.end(
        JSON.stringify({
          issuer: provider.issuer,
          jwks_uri: `${provider.issuer}/keys`,
          authorization_endpoint: `${provider.issuer}/authorize`,
          token_endpoint: `${provider.issuer}/token`,
        }),
      );
    }
    if (url.pathname === '/keys') return res.end(JSON.stringify({ keys: [jwk] }));
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (
        q.get('client_id') !== CLIENT_ID ||
        q.get('code_challenge_method') !== 'S256' ||
        !q.get('code_challenge')
      ) {
        res.statusCode = 400;
        return res.end('bad authorization request');
      }
      const code = randomUUID();
      codes.set(code, {
        challenge: q.get('code_challenge')!,
        redirect: q.get('redirect_uri')!,
        nonce: q.get('nonce') ?? '',
      });
      res.statusCode = 302;
      res.setHeader('location', `${q.get('redirect_uri')}?code=${code}&state=${q.get('state')}`);
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', async () => {
        const form = new URLSearchParams(body);
        const pending = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        res.setHeader('access-control-allow-origin', provider.consoleOrigin);
        res.setHeader('content-type', 'application/json');
        const verifier = form.get('code_verifier') ?? '';
        if (!pending || base64url(createHash('sha256').update(verifier).digest()) !== pending.challenge) {
          res.statusCode = 400;
          return res.end(JSON.stringify({ error: 'invalid_grant' }));
        }
        provider.exchanged.push(form.get('code')!);
        const idToken = await new SignJWT({ role: 'SUPERVISOR', district: 'wangcheng', nonce: pending.nonce })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setSubject('oidc-supervisor')
          .setIssuer(provider.issuer)
          .setAudience(CLIENT_ID)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
        res.end(JSON.stringify({ id_token: idToken, token_type: 'Bearer' }));
      });
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
  provider.issuer = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
  return provider;
}

describe("signing in through the organisation's identity provider (OIDC, code + PKCE, in Chromium)", () => {
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    provider = await startProvider();
    const problems: string[] = [];
    const auth = readAuthSettings(
      { OIDC_ISSUER: provider.issuer, OIDC_AUDIENCE: CLIENT_ID },
      false,
      3600,
      problems,
    );
    if (problems.length) throw new Error(problems.join('; '));
    c = await startConsole({ auth: { ...auth, demoSignIn: false } });
    provider.consoleOrigin = c.origin;
    await seedExample(c.api);
  }, 60_000);
  afterAll(async () => {
    await c?.close();
    await new Promise((resolve) => provider?.server.close(resolve));
  });

  it('signs in with the provider, leaves no code in the address and no token in the page, and is scoped by its claims', async () => {
    const context = await c.context();
    const page = await context.newPage();
    await page.goto(`${c.origin}/console/`);
    // Without demo identities the provider is the only way in.
    expect(await page.getByRole('button', { name: /身份登录/ }).count()).toBe(0);
    await page.getByRole('button', { name: '使用单位统一身份认证登录' }).click();
    await page.waitForURL(`${c.origin}/console/district`);
    expect(provider.exchanged).toHaveLength(1);
    expect(page.url()).not.toContain('code=');
    await page.locator('tr[data-form="wangcheng-shzlfwzx.2021"]').waitFor();
    expect(await page.locator('.who').textContent()).toContain('区级审核人');
    await screenshot(page, 'oidc-supervisor-signed-in');

    // The session is an HttpOnly cookie; nothing the page's scripts can read holds a credential.
    const cookies = await context.cookies();
    expect(cookies).toEqual([expect.objectContaining({ httpOnly: true, sameSite: 'Strict' })]);
    const stored = await page.evaluate(() => {
      const g = globalThis as unknown as {
        localStorage: Storage;
        sessionStorage: Storage;
        document: { cookie: string };
      };
      return { local: { ...g.localStorage }, session: { ...g.sessionStorage }, cookie: g.document.cookie };
    });
    expect(stored).toEqual({ local: {}, session: {}, cookie: '' });
  }, 60_000);
});

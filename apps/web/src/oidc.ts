import type { SignInConfig } from './api';

/**
 * Authorization code with PKCE, run by the page itself (a public client). Only the verifier, the state and
 * the nonce wait in sessionStorage across the redirect (removed on return); the tokens go straight to the API, which answers with its
 * HttpOnly session cookie. Nothing the page keeps can be replayed as a credential.
 */
const PENDING = 'perf-eval.oidc';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomString = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

export async function startOidcSignIn(oidc: NonNullable<SignInConfig['oidc']>): Promise<void> {
  const verifier = randomString();
  const state = randomString();
  const nonce = randomString();
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce }));
  const url = new URL(oidc.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: location.origin + oidc.redirectPath,
    scope: oidc.scopes,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** On the redirect back: the code exchanged for tokens; the one to post to /auth/session returned. */
export async function finishOidcSignIn(oidc: NonNullable<SignInConfig['oidc']>): Promise<string> {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    verifier: string;
    state: string;
    nonce: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  // The code must not stay in the address bar or the history.
  history.replaceState(null, '', location.pathname);
  const error = params.get('error');
  if (error) throw new Error(params.get('error_description') ?? error);
  const code = params.get('code');
  if (!code || !pending || params.get('state') !== pending.state)
    throw new Error('登录请求已失效，请重新登录');
  const response = await fetch(oidc.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: location.origin + oidc.redirectPath,
      client_id: oidc.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error('身份认证服务拒绝了登录请求');
  const tokens = (await response.json()) as { id_token?: string; access_token?: string };
  const token = tokens.id_token ?? tokens.access_token;
  if (!token) throw new Error('身份认证服务未返回令牌');
  // An ID token must answer this sign-in's nonce (its signature is the API's to check).
  if (tokens.id_token && nonceOf(tokens.id_token) !== pending.nonce)
    throw new Error('登录请求已失效，请重新登录');
  return token;
}

function nonceOf(idToken: string): string | undefined {
  try {
    const payload = idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return (JSON.parse(atob(payload)) as { nonce?: string }).nonce;
  } catch {
    return undefined;
  }
}

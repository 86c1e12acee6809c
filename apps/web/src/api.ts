/**
 * The console's one way to the API: GraphQL over POST with the session cookie (same origin). JSON bodies
 * are not a "simple" request, so Apollo's CSRF prevention lets them through and a cross-site form cannot
 * forge one. No token ever lives in the page: the cookie is HttpOnly.
 */
export interface Actor {
  id: string;
  role: 'ADMIN' | 'DEPARTMENT' | 'SUPERVISOR' | 'AUDITOR';
  department: string | null;
  district: string | null;
}

/** A refusal of the API, with its stable code (VERSION_CONFLICT, VALIDATION_FAILED, FORBIDDEN …). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** what the API attached: the current version of a conflict, the problems of a refusal */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('NETWORK', '无法连接服务器，请检查网络后重试');
  }
  const body = (await response.json().catch(() => null)) as {
    data?: T;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  } | null;
  const error = body?.errors?.[0];
  if (error) {
    const extensions = error.extensions ?? {};
    throw new ApiError(String(extensions.code ?? 'ERROR'), error.message, extensions);
  }
  if (!response.ok || !body?.data) throw new ApiError(`HTTP_${response.status}`, response.statusText);
  return body.data;
}

async function json<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin', ...init });
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  if (!response.ok) throw new ApiError(body.code ?? `HTTP_${response.status}`, body.message ?? '');
  return body as T;
}

export interface SignInConfig {
  methods: { oidc: boolean; demo: boolean };
  oidc: {
    issuer: string;
    clientId: string;
    scopes: string;
    redirectPath: string;
    authorizationEndpoint: string;
    tokenEndpoint: string;
    endSessionEndpoint: string | null;
  } | null;
}

export const auth = {
  config: () => json<SignInConfig>('/auth/config'),
  demoIdentities: () => json<Array<{ key: string; actor: Actor }>>('/auth/demo-identities'),
  /** the signed-in actor, or null without a session */
  current: async (): Promise<Actor | null> => {
    const response = await fetch('/auth/session', { credentials: 'same-origin' });
    if (response.status === 401) return null;
    if (!response.ok) throw new ApiError(`HTTP_${response.status}`, response.statusText);
    return ((await response.json()) as { actor: Actor }).actor;
  },
  signIn: (body: { demoIdentity: string } | { token: string }) =>
    json<{ actor: Actor }>('/auth/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((answer) => answer.actor),
  signOut: () => fetch('/auth/session', { method: 'DELETE', credentials: 'same-origin' }),
};

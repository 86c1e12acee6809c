import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { InvalidToken, actorFromToken, signToken, tokenVerifier, type TokenVerifierOptions } from './tokens';

const SECRET = 'a-test-secret-of-sufficient-length';
const verifier = tokenVerifier(SECRET);
const ADMIN = { role: 'ADMIN' };

/** A token with exactly these claims (no iat or exp added unless given), HS256 with SECRET. */
function raw(claims: Record<string, unknown>): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: 'u9', ...ADMIN, ...claims })}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Each check with a fresh token text (so no answer comes from the verified-token cache), issued now. */
let unique = 0;
const fresh = (claims: Record<string, unknown>) => raw({ iat: nowSeconds(), ...claims, jti: `t${unique++}` });

function refusal(token: string, options: TokenVerifierOptions = verifier): string {
  try {
    actorFromToken(token, options);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidToken);
    return (error as Error).message;
  }
}

describe('bearer tokens', () => {
  afterEach(() => jest.restoreAllMocks());

  it('gives the actor of a valid token, with its scope', () => {
    const token = signToken({ id: 'u1', role: 'SUPERVISOR', district: 'wangcheng' }, verifier);
    expect(actorFromToken(token, verifier)).toEqual({ id: 'u1', role: 'SUPERVISOR', district: 'wangcheng' });
  });

  it('refuses a wrong signature, another algorithm, alg none, a bad role or a missing scope', () => {
    const good = signToken({ id: 'u1', role: 'AUDITOR', district: 'd' }, SECRET);
    expect(refusal(good, tokenVerifier('another-secret-of-enough-length'))).toMatch(/invalid signature/);
    const exp = nowSeconds() + 600;
    expect(
      refusal(jwt.sign({ role: 'ADMIN', exp }, SECRET, { algorithm: 'HS384', subject: 'x' }), verifier),
    ).toMatch(/invalid algorithm/);
    const unsigned = [
      { alg: 'none', typ: 'JWT' },
      { sub: 'x', role: 'ADMIN', exp },
    ]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .join('.');
    expect(refusal(`${unsigned}.`)).not.toBe('');
    expect(refusal(fresh({ role: 'ROOT', exp }))).toMatch(/valid role/);
    expect(refusal(fresh({ role: 'DEPARTMENT', exp }))).toMatch(/department claim/);
    expect(refusal(fresh({ role: 'SUPERVISOR', exp }))).toMatch(/district claim/);
  });

  it('a token verified before is refused once it has expired (never served from the cache)', () => {
    const token = signToken({ id: 'u2', role: 'ADMIN' }, SECRET, '2s');
    expect(actorFromToken(token, verifier)).toEqual({ id: 'u2', role: 'ADMIN' });
    expect(actorFromToken(token, verifier)).toEqual({ id: 'u2', role: 'ADMIN' }); // cached
    const later = Date.now() + 5_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    expect(() => actorFromToken(token, verifier)).toThrow(InvalidToken);
  });

  it('refuses a token without exp, or with a non-numeric exp, iat or nbf', () => {
    const now = nowSeconds();
    expect(refusal(fresh({}))).toBe('token has no expiry (exp)');
    expect(refusal(fresh({ iat: now }))).toBe('token has no expiry (exp)');
    expect(refusal(fresh({ exp: String(now + 600) }))).toMatch(/exp/);
    expect(refusal(fresh({ exp: now + 600, iat: 'yesterday' }))).toMatch(/iat/);
    expect(refusal(fresh({ iat: now, exp: now + 600, nbf: 'soon' }))).toMatch(/nbf/);
  });

  it('refuses a token without iat: its lifetime could not be told (a year-long token in its last hours)', () => {
    const now = nowSeconds();
    expect(refusal(raw({ exp: now + 3600, jti: 'no-iat' }))).toBe('token has no issue time (iat)');
  });

  it('refuses a lifetime beyond AUTH_MAX_TOKEN_TTL (exp − iat)', () => {
    const now = nowSeconds();
    const hours = (h: number) => h * 3600;
    expect(refusal(fresh({ iat: now, exp: now + hours(12) }))).toBe('');
    expect(refusal(fresh({ iat: now, exp: now + hours(12) + 1 }))).toMatch(/lifetime exceeds/);
    // issued long ago, expiring soon: its lifetime is what counts, not what is left of it
    expect(refusal(fresh({ iat: now - hours(24), exp: now + 60 }))).toMatch(/lifetime exceeds/);
    expect(refusal(signToken({ id: 'u', role: 'ADMIN' }, SECRET, '13h'))).toMatch(/lifetime exceeds/);
    const oneHour = tokenVerifier(SECRET, { maxTtlSeconds: 3600 });
    expect(refusal(signToken({ id: 'u', role: 'ADMIN' }, SECRET, '2h'), oneHour)).toMatch(/lifetime exceeds/);
    expect(refusal(signToken({ id: 'u', role: 'ADMIN' }, SECRET, '1h'), oneHour)).toBe('');
  });

  it('refuses iat or nbf more than 60 s in the future; accepts them within the skew', () => {
    const now = nowSeconds();
    const exp = now + 3600;
    expect(refusal(fresh({ iat: now + 30, exp }))).toBe('');
    expect(refusal(fresh({ iat: now + 120, exp }))).toBe('token issued in the future (iat)');
    expect(refusal(fresh({ iat: now, nbf: now + 30, exp }))).toBe('');
    expect(refusal(fresh({ iat: now, nbf: now + 120, exp }))).toBe('jwt not active');
  });

  it('checks AUTH_ISSUER and AUTH_AUDIENCE when set, without telling the client what is expected', () => {
    const strict = tokenVerifier(SECRET, { issuer: 'perf-eval-wangcheng', audience: 'perf-eval-api' });
    const exp = nowSeconds() + 600;
    expect(refusal(fresh({ exp, iss: 'perf-eval-wangcheng', aud: 'perf-eval-api' }), strict)).toBe('');
    expect(refusal(fresh({ exp, iss: 'perf-eval-wangcheng', aud: ['x', 'perf-eval-api'] }), strict)).toBe('');
    expect(refusal(fresh({ exp, aud: 'perf-eval-api' }), strict)).toBe('token issuer not accepted');
    expect(refusal(fresh({ exp, iss: 'elsewhere', aud: 'perf-eval-api' }), strict)).toBe(
      'token issuer not accepted',
    );
    expect(refusal(fresh({ exp, iss: 'perf-eval-wangcheng' }), strict)).toBe('token audience not accepted');
    expect(refusal(fresh({ exp, iss: 'perf-eval-wangcheng', aud: 'other-api' }), strict)).toBe(
      'token audience not accepted',
    );
    // unset: not checked
    expect(refusal(fresh({ exp, iss: 'anyone', aud: 'anything' }))).toBe('');
  });

  it('a cached verification is not reused under other options (secret, issuer, lifetime)', () => {
    const token = signToken({ id: 'u3', role: 'ADMIN' }, SECRET, '2h');
    expect(refusal(token)).toBe('');
    expect(refusal(token, tokenVerifier('another-secret-of-enough-length'))).toMatch(/invalid signature/);
    expect(refusal(token, tokenVerifier(SECRET, { issuer: 'perf-eval' }))).toBe('token issuer not accepted');
    expect(refusal(token, tokenVerifier(SECRET, { maxTtlSeconds: 3600 }))).toMatch(/lifetime exceeds/);
    expect(refusal(token)).toBe('');
  });

  it('signToken with the verifier options carries their issuer and audience and lasts their maximum', () => {
    const options = tokenVerifier(SECRET, { issuer: 'iss-1', audience: 'aud-1', maxTtlSeconds: 1800 });
    const token = signToken({ id: 'u4', role: 'AUDITOR', district: 'd' }, options);
    const claims = jwt.decode(token) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: 'u4', iss: 'iss-1', aud: 'aud-1' });
    expect(claims.exp! - claims.iat!).toBe(1800);
    expect(actorFromToken(token, options)).toEqual({ id: 'u4', role: 'AUDITOR', district: 'd' });
  });
});

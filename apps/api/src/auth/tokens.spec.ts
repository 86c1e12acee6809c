import jwt from 'jsonwebtoken';
import { InvalidToken, actorFromToken, signToken } from './tokens';

const SECRET = 'a-test-secret-of-sufficient-length';

describe('bearer tokens', () => {
  afterEach(() => jest.restoreAllMocks());

  it('gives the actor of a valid token, with its scope', () => {
    const token = signToken({ id: 'u1', role: 'SUPERVISOR', district: 'wangcheng' }, SECRET);
    expect(actorFromToken(token, SECRET)).toEqual({ id: 'u1', role: 'SUPERVISOR', district: 'wangcheng' });
  });

  it('refuses a wrong signature, another algorithm, a bad role or a missing scope', () => {
    const good = signToken({ id: 'u1', role: 'AUDITOR', district: 'd' }, SECRET);
    expect(() => actorFromToken(good, 'another-secret-of-enough-length')).toThrow(InvalidToken);
    expect(() =>
      actorFromToken(jwt.sign({ role: 'ADMIN' }, SECRET, { algorithm: 'HS384', subject: 'x' }), SECRET),
    ).toThrow(InvalidToken);
    expect(() => actorFromToken(jwt.sign({ role: 'ROOT' }, SECRET, { subject: 'x' }), SECRET)).toThrow(
      /valid role/,
    );
    expect(() => actorFromToken(jwt.sign({ role: 'DEPARTMENT' }, SECRET, { subject: 'x' }), SECRET)).toThrow(
      /department claim/,
    );
    expect(() => actorFromToken(jwt.sign({ role: 'SUPERVISOR' }, SECRET, { subject: 'x' }), SECRET)).toThrow(
      /district claim/,
    );
  });

  it('a token verified before is refused once it has expired', () => {
    const token = signToken({ id: 'u2', role: 'ADMIN' }, SECRET, '2s');
    expect(actorFromToken(token, SECRET)).toEqual({ id: 'u2', role: 'ADMIN' });
    const later = Date.now() + 5_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    expect(() => actorFromToken(token, SECRET)).toThrow(InvalidToken);
  });
});

import { isIPv6 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { actorFromToken, bearerToken, type TokenVerifierOptions } from '../auth/tokens';
import { refuse as refusal, sendRefusal } from './http-auth';

/** Failures before GraphQL runs (bad JSON, too large, too many requests), in the GraphQL error shape. */
const refuse = (res: Response, status: number, code: string, message: string) =>
  sendRefusal(res, refusal(status, code, message));

export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * JSON bodies up to 1 MB; broken JSON is a 400 and an oversized body a 413, each with a code, never a
 * 500. A small reader of its own: GraphQL bodies are small and this runs on every request.
 */
export function jsonBody(): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const type = req.headers['content-type'] ?? '';
    if (req.method !== 'POST' || !/^application\/(graphql-response\+)?json\b/i.test(type)) return next();
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > BODY_LIMIT_BYTES) {
      req.resume();
      return refuse(res, 413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${BODY_LIMIT_BYTES} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        done = true;
        refuse(res, 413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${BODY_LIMIT_BYTES} bytes`);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (!done) {
        done = true;
        refuse(res, 400, 'BAD_REQUEST', 'request body could not be read');
      }
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      try {
        req.body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
      } catch {
        return refuse(res, 400, 'BAD_REQUEST', 'request body is not valid JSON');
      }
      next();
    });
  };
}

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows per key, at most `maxTracked` of them. The map is kept in order of window
 * start (a restarted window moves to the end), so expired windows are swept from the front; only when
 * that many keys are active within one minute is the oldest active window dropped. Never a wholesale
 * clear: that would hand every client, the noisiest included, a fresh window.
 */
export class RateWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly maxTracked = 100_000,
  ) {}

  get size(): number {
    return this.windows.size;
  }

  /** Counts one request; null when allowed, else the seconds until its window ends. */
  hit(key: string, now: number): number | null {
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      this.windows.delete(key);
      this.makeRoom(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count > this.perMinute ? Math.ceil((window.start + WINDOW_MS - now) / 1000) : null;
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.maxTracked) return;
    for (const [key, window] of this.windows) {
      if (now - window.start < WINDOW_MS && this.windows.size < this.maxTracked) return;
      this.windows.delete(key);
    }
  }
}

/**
 * The address a client is limited by: an IPv4 address as it is, an IPv6 one by its /64 network (one
 * host is usually given a whole /64 and can rotate through it at will). IPv4-mapped IPv6 counts as IPv4.
 */
export function clientNetwork(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * One-minute windows per user (the subject of a token that verifies) or, without a valid token, per
 * network (clientNetwork): a forged token cannot buy itself a fresh window. Verification is cached, and
 * GraphQL verifies the same token next anyway. Per process: behind several replicas each enforces its
 * own share.
 */
export function rateLimit(
  perMinute: number,
  verifier: TokenVerifierOptions,
): (req: Request, res: Response, next: NextFunction) => void {
  const windows = new RateWindows(perMinute);
  const subjectOf = (token: string | null) => {
    if (!token) return undefined;
    try {
      return actorFromToken(token, verifier).id;
    } catch {
      return undefined;
    }
  };
  return (req, res, next) => {
    if (perMinute === 0) return next();
    const subject = subjectOf(bearerToken(req.headers.authorization));
    const retryAfterSeconds = windows.hit(
      subject ? `user:${subject}` : `ip:${clientNetwork(req.ip)}`,
      Date.now(),
    );
    if (retryAfterSeconds !== null) {
      res.setHeader('Retry-After', String(retryAfterSeconds));
      return refuse(res, 429, 'RATE_LIMITED', `more than ${perMinute} requests per minute`);
    }
    next();
  };
}

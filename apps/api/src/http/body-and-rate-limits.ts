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

/**
 * Fixed one-minute windows per user (the subject of a token that verifies) or, without a valid token,
 * per address: a forged token cannot buy itself a fresh window. Verification is cached, and GraphQL
 * verifies the same token next anyway. Per process: behind several replicas each enforces its own share.
 */
export function rateLimit(
  perMinute: number,
  verifier: TokenVerifierOptions,
): (req: Request, res: Response, next: NextFunction) => void {
  const windows = new Map<string, { start: number; count: number }>();
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
    const key = subject ? `user:${subject}` : `ip:${req.ip}`;
    const now = Date.now();
    let window = windows.get(key);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      windows.set(key, window);
      if (windows.size > 100_000) windows.clear();
    }
    window.count += 1;
    if (window.count > perMinute) {
      res.setHeader('Retry-After', String(Math.ceil((window.start + 60_000 - now) / 1000)));
      return refuse(res, 429, 'RATE_LIMITED', `more than ${perMinute} requests per minute`);
    }
    next();
  };
}

import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { bearerToken } from '../auth/tokens';
import jwt from 'jsonwebtoken';

/** A GraphQL-shaped error body for failures before GraphQL runs (bad JSON, too large, too many requests). */
function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

export const BODY_LIMIT = '1mb';

/** JSON bodies up to 1 MB; broken JSON is a 400 and an oversized body a 413, each with a code, never a 500. */
export function jsonBody(): (req: Request, res: Response, next: NextFunction) => void {
  const parse = express.json({ limit: BODY_LIMIT });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large')
        return refuse(res, 413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${BODY_LIMIT}`);
      if (type === 'entity.parse.failed')
        return refuse(res, 400, 'BAD_REQUEST', 'request body is not valid JSON');
      return refuse(res, 400, 'BAD_REQUEST', 'request body could not be read');
    });
}

/**
 * Fixed one-minute windows per user (the token's subject) or, without a token, per address. Per process:
 * behind several replicas each enforces its own share.
 */
export function rateLimit(perMinute: number): (req: Request, res: Response, next: NextFunction) => void {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    if (perMinute === 0) return next();
    const token = bearerToken(req.headers.authorization);
    const subject = token ? (jwt.decode(token) as { sub?: string } | null)?.sub : undefined;
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

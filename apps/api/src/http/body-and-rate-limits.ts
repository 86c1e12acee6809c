import type { IncomingHttpHeaders } from 'node:http';
import { isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { HttpException } from '@nestjs/common';
import { refuse as refusal, sendRefusal } from './http-auth';

/** Failures before GraphQL runs (bad JSON, too large, too many requests), in the GraphQL error shape. */
const refuse = (reply: FastifyReply, status: number, code: string, message: string) =>
  sendRefusal(reply, refusal(status, code, message));

export const BODY_LIMIT_BYTES = 1024 * 1024;

const JSON_TYPES = /^application\/(graphql-response\+)?json\b/i;
const TOO_LARGE = () => refusal(413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${BODY_LIMIT_BYTES} bytes`);

/**
 * JSON bodies up to 1 MB; broken JSON is a 400 and an oversized body a 413, each with a code, never a
 * 500. Fastify reads the body (refusing one that declares or sends more than the limit); JSON.parse reads
 * it, as before. Bodies of any other type are left unread, as they were: Apollo answers for them (its
 * CSRF prevention refuses the types a browser sends without a preflight), never a 415 from Fastify.
 */
export function jsonBodies(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    JSON_TYPES,
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(refusal(400, 'BAD_REQUEST', 'request body is not valid JSON'), undefined);
      }
    },
  );
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}

/**
 * The answer for an error Fastify raises while reading a body (Nest's Fastify adapter hands it to the
 * exception filters as an HttpException caused by it): 413 PAYLOAD_TOO_LARGE, else 400 BAD_REQUEST, in
 * the GraphQL error shape like every other refusal. Null for any other error.
 */
export function bodyRefusal(exception: unknown): HttpException | null {
  const cause = exception instanceof HttpException ? exception.cause : exception;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !code.startsWith('FST_ERR_CTP_')) return null;
  return code === 'FST_ERR_CTP_BODY_TOO_LARGE'
    ? TOO_LARGE()
    : refusal(400, 'BAD_REQUEST', 'request body could not be read');
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
  subjectOf: (headers: IncomingHttpHeaders) => string | undefined,
): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  const windows = new RateWindows(perMinute);
  return (request, reply, done) => {
    if (perMinute === 0) return done();
    const subject = subjectOf(request.headers);
    const retryAfterSeconds = windows.hit(
      subject ? `user:${subject}` : `ip:${clientNetwork(request.ip)}`,
      Date.now(),
    );
    if (retryAfterSeconds !== null) {
      reply.header('Retry-After', String(retryAfterSeconds));
      refuse(reply, 429, 'RATE_LIMITED', `more than ${perMinute} requests per minute`);
      return;
    }
    done();
  };
}

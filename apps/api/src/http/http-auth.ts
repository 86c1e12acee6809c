import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Actor } from '@app/domain';
import type { IncomingHttpHeaders } from 'node:http';
import { actorFromToken, bearerToken, type TokenVerifierOptions } from '../auth/tokens';
import type { Authenticator } from '../auth/authenticator';

/** A refusal in the GraphQL error shape, so REST downloads and GraphQL fail alike for clients. */
export const refuse = (status: HttpStatus, code: string, message: string) =>
  new HttpException({ errors: [{ message, extensions: { code } }] }, status);

/** Answers with a refusal as it is, where no Nest filter does it (Fastify hooks, the catch-all filter). */
export function sendRefusal(reply: FastifyReply, refusal: HttpException): FastifyReply {
  return reply.code(refusal.getStatus()).send(refusal.getResponse());
}

/** The caller of a plain HTTP endpoint (file downloads, admin pages), from the same bearer token. */
export function actorFromAuthorization(
  authorization: string | undefined,
  verifier: TokenVerifierOptions,
): Actor {
  const token = bearerToken(authorization);
  if (!token) throw refuse(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'authentication required');
  try {
    return actorFromToken(token, verifier);
  } catch {
    throw refuse(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', 'invalid token');
  }
}

/**
 * The caller of a route a browser may open too (file downloads): the bearer token of either kind, or the
 * console's session cookie (docs/sign-in.md); 401 UNAUTHENTICATED otherwise, as in GraphQL.
 */
export async function callerOf(headers: IncomingHttpHeaders, authenticator: Authenticator): Promise<Actor> {
  const { actor, via } = await authenticator.fromHeaders(headers);
  if (actor) return actor;
  throw refuse(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', via ? 'invalid token' : 'authentication required');
}

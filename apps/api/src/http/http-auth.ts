import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '@app/domain';
import { actorFromToken, bearerToken, type TokenVerifierOptions } from '../auth/tokens';

/** A refusal in the GraphQL error shape, so REST downloads and GraphQL fail alike for clients. */
export const refuse = (status: HttpStatus, code: string, message: string) =>
  new HttpException({ errors: [{ message, extensions: { code } }] }, status);

/** Answers with a refusal as it is, where no Nest filter does it (Express middleware, the catch-all filter). */
export function sendRefusal(res: Response, refusal: HttpException): void {
  res.status(refusal.getStatus()).json(refusal.getResponse());
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

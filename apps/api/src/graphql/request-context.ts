import { GraphQLError } from 'graphql';
import type { Actor, Role } from '@app/domain';
import type { GraphqlOutcome } from '../http/request-logging';

/** What every resolver gets: the verified caller (null without a valid token) and the correlation id. */
export interface RequestContext {
  actor: Actor | null;
  /** why the token was refused, when one was sent */
  authError: string | null;
  correlationId: string;
  /** the operation and its error codes, for the request's access line */
  outcome?: GraphqlOutcome;
}

export function requireActor(context: RequestContext): Actor {
  if (!context.actor) {
    throw new GraphQLError(
      context.authError ? `invalid token: ${context.authError}` : 'authentication required',
      {
        extensions: { code: 'UNAUTHENTICATED' },
      },
    );
  }
  return context.actor;
}

/** The caller, if it has one of these roles; FORBIDDEN otherwise. */
export function requireRole(context: RequestContext, roles: readonly Role[]): Actor {
  const actor = requireActor(context);
  if (!roles.includes(actor.role)) {
    throw new GraphQLError(`role ${actor.role} may not do this`, { extensions: { code: 'FORBIDDEN' } });
  }
  return actor;
}

import {
  Injectable,
  SetMetadata,
  UseGuards,
  applyDecorators,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Actor, Role } from '@app/domain';
import { requireActor, requireRole, type RequestContext } from './request-context';

const ALLOWED_ROLES = Symbol('allowed roles');

const requestContextOf = (execution: ExecutionContext) =>
  GqlExecutionContext.create(execution).getContext<RequestContext>();

@Injectable()
export class AllowedRolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(execution: ExecutionContext): boolean {
    const roles = this.reflector.get<readonly Role[]>(ALLOWED_ROLES, execution.getHandler());
    // Throws UNAUTHENTICATED or FORBIDDEN as a GraphQL error, with the same messages as everywhere.
    requireRole(requestContextOf(execution), roles);
    return true;
  }
}

/**
 * The resolver runs only for a verified caller with one of these roles, given from the domain's tables
 * (`READ_ROLES`, `COMMAND_ROLES`): UNAUTHENTICATED without a valid token, FORBIDDEN for another role.
 * Scope (which department or district) is the resolver's to check, as out of scope must read as missing.
 */
export const Allowed = (roles: readonly Role[]) =>
  applyDecorators(SetMetadata(ALLOWED_ROLES, roles), UseGuards(AllowedRolesGuard));

/** The verified caller (UNAUTHENTICATED without one). */
export const Caller = createParamDecorator((_data: unknown, execution: ExecutionContext): Actor =>
  requireActor(requestContextOf(execution)),
);

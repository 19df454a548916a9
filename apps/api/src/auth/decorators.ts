import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '@conduit/contracts';
import type { Request } from 'express';
import type { Caller } from './caller.js';

export const IS_PUBLIC = 'conduit:isPublic';
export const ROLES = 'conduit:roles';
export const SESSION_ONLY = 'conduit:sessionOnly';

/**
 * How the OpenAPI document learns a route's authentication (bootstrap.ts turns it into the operation's `security`):
 * public routes need none, session-only routes the cookie; every other route takes an API key or the cookie.
 */
export const OPENAPI_AUTH = 'x-conduit-auth';

/** The route answers without authentication (health, login, OAuth callbacks, webhooks). */
export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(OPENAPI_AUTH, 'public'));

/** Only callers with one of these roles may call the route (others get 403). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, roles);

/** The route needs a signed-in user (a browser session), not an API key. */
export const SessionOnly = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(SESSION_ONLY, true), ApiExtension(OPENAPI_AUTH, 'session'));

export type AuthedRequest = Request & { caller?: Caller };

/** The authenticated caller, set by the AuthGuard. */
export const CurrentCaller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<AuthedRequest>().caller;
  if (!caller) throw new UnauthorizedException();
  return caller;
});

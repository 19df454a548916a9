import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@conduit/contracts';
import { AuthService } from './auth.service.js';
import { type AuthedRequest, IS_PUBLIC, ROLES, SESSION_ONLY } from './decorators.js';

/** Global guard: every route needs a caller unless marked @Public(); @Roles and @SessionOnly narrow further. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const caller = await this.auth.authenticate(req);
    if (!caller) throw new UnauthorizedException('Authentication required');
    req.caller = caller;
    if (this.reflector.getAllAndOverride<boolean>(SESSION_ONLY, targets) && caller.kind !== 'user') {
      throw new ForbiddenException('This route needs a signed-in user');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(caller.role)) throw new ForbiddenException('Insufficient role');
    return true;
  }
}

import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { UserRole } from '@coldchain/domain';
import { ForbiddenError, UnauthorizedError } from '@coldchain/errors';
import { AuthService, type Principal } from '@coldchain/identity';

const ROLES_KEY = 'coldchain:roles';
const PENDING_PASSWORD_OK_KEY = 'coldchain:pending-password-ok';

/** The roles allowed on a route (or on every route of a controller); absent = any authenticated user. */
export const Roles = (...roles: readonly UserRole[]) => SetMetadata(ROLES_KEY, roles);

/** Marks a route usable while the caller must still change a temporary password (change-password, logout, me). */
export const AllowPendingPasswordChange = () => SetMetadata(PENDING_PASSWORD_OK_KEY, true);

export interface SessionRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/**
 * Authenticates every request of the routes it guards with a Bearer access
 * token (RFC 6750), then enforces, in this order: the pending password change
 * (403 `password_change_required`), the route's roles (403 `forbidden`).
 * Tenant scoping is not decided here but by every query, from
 * `request.principal.tenantId`: an object of another tenant is 404.
 */
@Injectable()
export class SessionAuthGuard implements CanActivate {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<SessionRequest>();
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !/^Bearer [A-Za-z0-9._~+/-]+=*$/.test(header))
      throw new UnauthorizedError('a Bearer access token is required (POST /api/v1/auth/login)', 'token');
    const principal = await this.auth.authenticate(header.slice('Bearer '.length));
    const targets = [context.getHandler(), context.getClass()];
    if (
      principal.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(PENDING_PASSWORD_OK_KEY, targets)
    )
      throw new ForbiddenError(
        'password change required: POST /api/v1/auth/change-password first',
        'password_change_required',
      );
    const roles = this.reflector.getAllAndOverride<readonly UserRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role))
      throw new ForbiddenError(`role ${principal.role} may not do this (needs ${roles.join(' or ')})`);
    req.principal = principal;
    return true;
  }
}

/** The caller of a guarded route (set by SessionAuthGuard). */
export function principalOf(req: SessionRequest): Principal {
  if (!req.principal) throw new UnauthorizedError('not authenticated', 'token');
  return req.principal;
}

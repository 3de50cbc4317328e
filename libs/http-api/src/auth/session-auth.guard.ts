import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { UserRole } from '@coldchain/domain';
import { ForbiddenError, UnauthorizedError } from '@coldchain/errors';
import { AuthService, type Caller, type PlatformPrincipal, type Principal } from '@coldchain/identity';

const ROLES_KEY = 'coldchain:roles';
const PENDING_PASSWORD_OK_KEY = 'coldchain:pending-password-ok';
const AUDIENCE_KEY = 'coldchain:audience';
const CLOSED_TENANT_OK_KEY = 'coldchain:closed-tenant-ok';

/** Who a route serves: a tenant's users (the default), platform admins, or both (the auth routes). */
type Audience = 'tenant' | 'platform' | 'any';

/** The roles allowed on a route (or on every route of a controller); absent = any authenticated user. */
export const Roles = (...roles: readonly UserRole[]) => SetMetadata(ROLES_KEY, roles);

/** Marks a route usable while the caller must still change a temporary password (change-password, logout, me). */
export const AllowPendingPasswordChange = () => SetMetadata(PENDING_PASSWORD_OK_KEY, true);

/** Marks a route (or controller) of the platform administration: platform admins only. */
export const PlatformRoute = () => SetMetadata(AUDIENCE_KEY, 'platform' satisfies Audience);

/** Marks a route any authenticated caller may use, platform admin or tenant user (logout, me, change-password). */
export const AnyCaller = () => SetMetadata(AUDIENCE_KEY, 'any' satisfies Audience);

/** Marks a write a closed tenant's users may still make (logout, change-password): everything else is read-only. */
export const AllowOnClosedTenant = () => SetMetadata(CLOSED_TENANT_OK_KEY, true);

/** Methods that change nothing: all a closed tenant's users may still send. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SessionRequest {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: Caller;
}

/**
 * Authenticates every request of the routes it guards with a Bearer access
 * token (RFC 6750), then enforces, in this order:
 * 1. the audience: a platform admin is a member of no tenant, so tenant
 *    routes refuse it, and platform routes refuse tenants' users (403 `forbidden`);
 * 2. the pending password change (403 `password_change_required`);
 * 3. the route's roles (403 `forbidden`);
 * 4. a closed tenant: its users may still read (and export) until the end of
 *    their read-only access, and change nothing (403 `tenant_closed`).
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
    const caller = await this.auth.authenticate(header.slice('Bearer '.length));
    const targets = [context.getHandler(), context.getClass()];
    const audience =
      this.reflector.getAllAndOverride<Audience | undefined>(AUDIENCE_KEY, targets) ?? 'tenant';
    if (audience === 'platform' && caller.kind !== 'platform')
      throw new ForbiddenError('platform administration: a platform admin’s session is required');
    if (audience === 'tenant' && caller.kind !== 'tenant')
      throw new ForbiddenError(
        'a platform admin is a member of no tenant: tenant routes are for its users (see /api/v1/platform)',
      );
    if (
      caller.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(PENDING_PASSWORD_OK_KEY, targets)
    )
      throw new ForbiddenError(
        'password change required: POST /api/v1/auth/change-password first',
        'password_change_required',
      );
    if (caller.kind === 'tenant') {
      const roles = this.reflector.getAllAndOverride<readonly UserRole[] | undefined>(ROLES_KEY, targets);
      if (roles && !roles.includes(caller.role))
        throw new ForbiddenError(`role ${caller.role} may not do this (needs ${roles.join(' or ')})`);
      if (
        caller.readOnlyUntil !== undefined &&
        !READ_METHODS.has((req.method ?? 'GET').toUpperCase()) &&
        !this.reflector.getAllAndOverride<boolean>(CLOSED_TENANT_OK_KEY, targets)
      )
        throw new ForbiddenError(
          `this tenant is closed: read-only (export included) until ${new Date(caller.readOnlyUntil).toISOString()}`,
          'tenant_closed',
        );
    }
    req.principal = caller;
    return true;
  }
}

/** Whoever called a guarded route (set by SessionAuthGuard). */
export function callerOf(req: SessionRequest): Caller {
  if (!req.principal) throw new UnauthorizedError('not authenticated', 'token');
  return req.principal;
}

/** The tenant's user calling a guarded tenant route (the guard refused anyone else). */
export function principalOf(req: SessionRequest): Principal {
  const caller = callerOf(req);
  if (caller.kind !== 'tenant') throw new ForbiddenError('a platform admin is a member of no tenant');
  return caller;
}

/** The platform admin calling a guarded platform route (the guard refused anyone else). */
export function platformAdminOf(req: SessionRequest): PlatformPrincipal {
  const caller = callerOf(req);
  if (caller.kind !== 'platform') throw new ForbiddenError('platform administration: a platform admin only');
  return caller;
}

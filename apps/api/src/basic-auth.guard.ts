import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { createHash } from 'node:crypto';
import { verifyPassword, type MetadataStorePort, type UserRecord } from '@coldchain/metadata-store';
import { METADATA_STORE } from '@coldchain/runtime';

/** Tunables of the interim Basic authentication, units in the names. */
export const BASIC_AUTH_DEFAULTS = {
  /** How long a verified credential is trusted without re-running scrypt (~50 ms each). */
  verifiedTtlMs: 60_000, // 1 minute
  maxCachedCredentials: 1000,
};

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: UserRecord;
}

/**
 * Interim authentication of the foundation's read API: HTTP Basic with the
 * user's email and password (RFC 7617), checked against the scrypt hash; the
 * operator API issue replaces it with sessions. Every route behind it is
 * scoped to `request.user.tenantId`.
 */
@Injectable()
export class BasicAuthGuard implements CanActivate {
  private readonly verified = new Map<string, { user: UserRecord; until: number }>();

  constructor(@Inject(METADATA_STORE) private readonly users: MetadataStorePort) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Basic ')) throw this.refuse();
    const digest = createHash('sha256').update(header).digest('base64');
    const cached = this.verified.get(digest);
    const now = Date.now();
    if (cached && cached.until > now) {
      req.user = cached.user;
      return true;
    }
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw this.refuse();
    const user = await this.users.findUserByEmail(decoded.slice(0, colon));
    if (!user || !(await verifyPassword(decoded.slice(colon + 1), user.passwordHash))) throw this.refuse();
    if (this.verified.size >= BASIC_AUTH_DEFAULTS.maxCachedCredentials) this.verified.clear();
    this.verified.set(digest, { user, until: now + BASIC_AUTH_DEFAULTS.verifiedTtlMs });
    req.user = user;
    return true;
  }

  private refuse(): UnauthorizedException {
    return new UnauthorizedException({
      statusCode: 401,
      error: 'unauthorized',
      message: 'email and password required (HTTP Basic)',
    });
  }
}

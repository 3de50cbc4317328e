import type { EpochMs, UserRole } from '@coldchain/domain';

/** The authenticated caller of a request, as {@link AuthService.authenticate} found it: a tenant's user. */
export interface Principal {
  kind: 'tenant';
  userId: string;
  tenantId: string;
  email: string;
  /** Read from the user at each request: a role change applies at once, not at the next refresh. */
  role: UserRole;
  sessionId: string;
  /** True until the user has replaced the temporary password; every route but change-password refuses. */
  mustChangePassword: boolean;
  /**
   * Set while the user's tenant is closed but still readable: the user may
   * read and export until then (epoch ms), and change nothing.
   */
  readOnlyUntil?: EpochMs;
}

/**
 * A platform admin: administers tenants (create, list, close), is a member
 * of none, and so has no tenant to read data from. Tenant routes refuse it.
 */
export interface PlatformPrincipal {
  kind: 'platform';
  /** The platform admin's id. */
  userId: string;
  email: string;
  sessionId: string;
  mustChangePassword: boolean;
}

/** Whoever a valid access token belongs to. */
export type Caller = Principal | PlatformPrincipal;

/** What login and refresh hand to the client. */
export interface TokenPair {
  accessToken: string;
  /** Seconds until the access token expires (OAuth 2.0 `expires_in`). */
  expiresIn: number;
  /** Opaque, single use: each refresh returns a new one and the old one ends the session if used again. */
  refreshToken: string;
  mustChangePassword: boolean;
}

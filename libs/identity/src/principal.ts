import type { UserRole } from '@coldchain/domain';

/** The authenticated caller of a request, as {@link AuthService.authenticate} found it. */
export interface Principal {
  userId: string;
  tenantId: string;
  email: string;
  /** Read from the user at each request: a role change applies at once, not at the next refresh. */
  role: UserRole;
  sessionId: string;
  /** True until the user has replaced the temporary password; every route but change-password refuses. */
  mustChangePassword: boolean;
}

/** What login and refresh hand to the client. */
export interface TokenPair {
  accessToken: string;
  /** Seconds until the access token expires (OAuth 2.0 `expires_in`). */
  expiresIn: number;
  /** Opaque, single use: each refresh returns a new one and the old one ends the session if used again. */
  refreshToken: string;
  mustChangePassword: boolean;
}

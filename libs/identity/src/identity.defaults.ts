/**
 * Settings of authentication and sessions, units in the names. Apps build
 * them from the validated config (`authPolicyFromConfig`); tests pass their own.
 */
export interface AuthPolicy {
  /** HS256 key of the access tokens, at least 32 bytes (RFC 7518 §3.2: a key as long as the hash). */
  jwtSecret: Uint8Array;
  /** Lifetime of an access token; the client refreshes before it ends. */
  accessTokenTtlMs: number;
  /** A session with no authenticated request for this long ends (refreshing is not activity). */
  sessionIdleMs: number;
  /** A session ends this long after login, whatever the activity. */
  sessionMaxMs: number;
  /** Consecutive failed logins for one email that lock it. */
  loginMaxFailures: number;
  /** How long a locked email stays locked. */
  loginLockoutMs: number;
  /** Login attempts allowed per client address per minute (LoginThrottle), whatever the emails tried. */
  loginAttemptsPerMinute: number;
  /** Shortest password a user may choose. */
  passwordMinLength: number;
}

export const IDENTITY_DEFAULTS = {
  /** `iss` and `aud` of every access token: a token of another system is refused. */
  issuer: 'coldchain',
  audience: 'coldchain-api',
  /**
   * Activity is written to the session at most this often: one write per
   * request would be wasteful. The idle timeout is therefore exact to within
   * this much (a session may end up to 15 s before SESSION_IDLE_MINUTES of real idleness).
   */
  touchGranularityMs: 15_000, // 15 s
  /** Ended sessions and stale failed-login records are kept this long (who logged in when), then purged. */
  authRecordRetentionMs: 30 * 24 * 3_600_000, // 30 days
  /** How often the API purges them. */
  authRecordPurgeEveryMs: 3_600_000, // 1 hour
  /** Entropy of refresh tokens and temporary passwords, bytes. */
  refreshTokenBytes: 32,
  temporaryPasswordBytes: 12, // 16 base64url characters, 96 bits
  /** A generated tenant id: at most this many characters of the name's slug, then random ones (a-z, 0-9). */
  tenantIdSlugChars: 24,
  tenantIdRandomChars: 6, // 36^6 ≈ 2 × 10^9
} as const;

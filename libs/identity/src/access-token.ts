import { SignJWT, jwtVerify, errors } from 'jose';
import type { Clock, EpochMs } from '@coldchain/domain';
import { UnauthorizedError } from '@coldchain/errors';
import { IDENTITY_DEFAULTS } from './identity.defaults.js';

/** The claims of an access token: a signed pointer to a session, checked against the store on each request. */
export interface AccessClaims {
  /** User id (a platform admin's id when `tid` is absent). */
  sub: string;
  /** Tenant id; absent for a platform admin, a member of no tenant. */
  tid?: string;
  /** Session id. */
  sid: string;
}

/** The claims of a verified access token, with its expiry (`exp`) in epoch ms. */
export type VerifiedAccessClaims = AccessClaims & { expiresAt: EpochMs };

/**
 * Access tokens: JWT (RFC 7519) signed HS256 with the configured secret.
 * jose does the encoding and checks (only HS256 accepted, so no `alg: none`
 * or key confusion; exp/iat/iss/aud verified with the injected clock).
 */
export class AccessTokens {
  constructor(
    private readonly secret: Uint8Array,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {
    if (secret.byteLength < 32) throw new RangeError('JWT secret must be at least 32 bytes');
  }

  async sign(claims: AccessClaims): Promise<string> {
    const nowS = Math.floor(this.clock.now() / 1000);
    return new SignJWT(claims.tid === undefined ? { sid: claims.sid } : { tid: claims.tid, sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(IDENTITY_DEFAULTS.issuer)
      .setAudience(IDENTITY_DEFAULTS.audience)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + Math.ceil(this.ttlMs / 1000))
      .sign(this.secret);
  }

  /** The claims of a valid token; UnauthorizedError (`token` or `token_expired`) otherwise. */
  async verify(token: string): Promise<VerifiedAccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: IDENTITY_DEFAULTS.issuer,
        audience: IDENTITY_DEFAULTS.audience,
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const { sub, tid, sid, exp } = payload;
      if (
        typeof sub !== 'string' ||
        typeof exp !== 'number' ||
        (tid !== undefined && typeof tid !== 'string') ||
        typeof sid !== 'string'
      )
        throw new UnauthorizedError('malformed access token', 'token');
      const expiresAt = exp * 1000;
      return tid === undefined ? { sub, sid, expiresAt } : { sub, tid, sid, expiresAt };
    } catch (err) {
      if (err instanceof UnauthorizedError) throw err;
      if (err instanceof errors.JWTExpired)
        throw new UnauthorizedError('access token expired: refresh it', 'token_expired');
      throw new UnauthorizedError('invalid access token', 'token');
    }
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EpochMs } from '@coldchain/domain';
import { DEFAULTS } from '../notifications.defaults.js';

/** What an acknowledgement link vouches for: this contact may acknowledge this alert until `expiresAt`. */
export interface AckClaim {
  alertKey: string;
  contactId: string;
  expiresAt: EpochMs;
}

export type AckTokenVerdict =
  { ok: true; claim: AckClaim } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

const b64url = (buf: Buffer): string => buf.toString('base64url');

function mac(secret: string, payload: string): Buffer {
  // Domain-separated so a token MAC can never be replayed as another HMAC of this lib (ack codes, webhooks).
  return createHmac('sha256', secret).update(`coldchain.ack.v1.${payload}`, 'utf8').digest();
}

/**
 * Token format `<payload>.<mac>`, both base64url: payload is the JSON
 * `{"a":alertKey,"c":contactId,"e":expiresAt}` and mac is
 * HMAC-SHA256(ACK_LINK_SECRET, "coldchain.ack.v1." + payload). No
 * encryption: the alert key and contact id are not secret, only unforgeable.
 */
export function createAckToken(secret: string, claim: AckClaim): string {
  const payload = b64url(
    Buffer.from(JSON.stringify({ a: claim.alertKey, c: claim.contactId, e: claim.expiresAt })),
  );
  return `${payload}.${b64url(mac(secret, payload))}`;
}

/**
 * Checks a token against one or more secrets (the first current, the others
 * being rotated out) in constant time, then its expiry against `now`.
 */
export function verifyAckToken(
  secrets: string | readonly string[],
  token: string,
  now: EpochMs,
): AckTokenVerdict {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1]))
    return { ok: false, reason: 'malformed' };
  const [payload, given] = parts as [string, string];
  const givenMac = Buffer.from(given, 'base64url');
  const valid = (typeof secrets === 'string' ? [secrets] : secrets).some((s) => {
    const expected = mac(s, payload);
    return expected.length === givenMac.length && timingSafeEqual(expected, givenMac);
  });
  if (!valid) return { ok: false, reason: 'bad_signature' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { a, c, e } = (decoded ?? {}) as { a?: unknown; c?: unknown; e?: unknown };
  if (typeof a !== 'string' || typeof c !== 'string' || typeof e !== 'number')
    return { ok: false, reason: 'malformed' };
  if (now >= e) return { ok: false, reason: 'expired' };
  return { ok: true, claim: { alertKey: a, contactId: c, expiresAt: e } };
}

/**
 * The link put in emails: `${PUBLIC_BASE_URL}/ack?token=…`, valid for
 * `ttlMs` from `now` (24 h by default). The API serves the path; this lib
 * only signs and verifies.
 */
export function createAckLink(input: {
  secret: string;
  publicBaseUrl: string;
  alertKey: string;
  contactId: string;
  now: EpochMs;
  ttlMs?: number;
}): string {
  const token = createAckToken(input.secret, {
    alertKey: input.alertKey,
    contactId: input.contactId,
    expiresAt: input.now + (input.ttlMs ?? DEFAULTS.ack.linkTtlMs),
  });
  const url = new URL(DEFAULTS.ack.linkPath, withTrailingSlash(input.publicBaseUrl));
  url.searchParams.set('token', token);
  return url.href;
}

function withTrailingSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

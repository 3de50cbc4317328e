import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EpochMs } from '@coldchain/domain';
import { DEFAULTS } from '../../notifications.defaults.js';

/** Header names of the webhook signature scheme (documented in docs/notifications.md). */
export const WEBHOOK_HEADERS = {
  timestamp: 'x-coldchain-timestamp',
  signature: 'x-coldchain-signature',
  idempotencyKey: 'idempotency-key',
} as const;

/**
 * Signature scheme, version 1:
 *   X-Coldchain-Timestamp: <unix seconds>
 *   X-Coldchain-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 * The timestamp is inside the MAC so a captured request cannot be replayed
 * after the receiver's tolerance window.
 */
export function signWebhook(secret: string, timestampSeconds: number, rawBody: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`, 'utf8').digest('hex');
  return `v1=${mac}`;
}

export type WebhookVerdict =
  { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/** For receivers (and tests): checks the signature in constant time and the timestamp against `now`. */
export function verifyWebhookSignature(input: {
  secret: string;
  rawBody: string;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  now: EpochMs;
  toleranceMs?: number;
}): WebhookVerdict {
  const { timestampHeader, signatureHeader } = input;
  if (!timestampHeader || !signatureHeader) return { ok: false, reason: 'missing' };
  if (!/^\d+$/.test(timestampHeader) || !/^v1=[0-9a-f]{64}$/.test(signatureHeader))
    return { ok: false, reason: 'malformed' };
  const ts = Number(timestampHeader);
  const tolerance = input.toleranceMs ?? DEFAULTS.webhook.signatureToleranceMs;
  if (Math.abs(input.now - ts * 1000) > tolerance) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signWebhook(input.secret, ts, input.rawBody));
  const given = Buffer.from(signatureHeader);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { ok: true }
    : { ok: false, reason: 'mismatch' };
}

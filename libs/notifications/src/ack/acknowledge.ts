import type { EpochMs } from '@coldchain/domain';
import { ColdchainError } from '@coldchain/errors';
import type { AckAuditLog, AckVia, StoredAck } from '@coldchain/metadata-store';
import { verifyAckToken, type AckClaim } from './ack-link.js';

/**
 * An acknowledgement link that cannot be honoured. Not retriable: the same
 * link will never become valid. `code`: `ack_link_expired` (HTTP 410: ask
 * for a fresh alert or acknowledge in the app) or `ack_link_invalid` (HTTP
 * 400: malformed, or signed with another key: forged or mangled by a mail
 * client).
 */
export class AckLinkError extends ColdchainError {
  constructor(
    readonly reason: 'malformed' | 'bad_signature' | 'expired',
    readonly expiredAt?: EpochMs,
  ) {
    super(
      reason === 'expired'
        ? `this acknowledgement link expired${expiredAt ? ` at ${new Date(expiredAt).toISOString()}` : ''}; acknowledge the alert in the app or by replying to the SMS`
        : 'this acknowledgement link is not valid (altered, truncated, or not issued by this platform)',
      { code: reason === 'expired' ? 'ack_link_expired' : 'ack_link_invalid', retriable: false },
    );
  }
}

/** The claim of a valid, unexpired link; throws AckLinkError otherwise. Reads the expiry from the payload only after the MAC checked out. */
export function claimOfAckToken(secrets: string | readonly string[], token: string, now: EpochMs): AckClaim {
  const verdict = verifyAckToken(secrets, token, now);
  if (verdict.ok) return verdict.claim;
  if (verdict.reason === 'expired') {
    const payload = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as {
      e?: number;
    };
    throw new AckLinkError('expired', payload.e);
  }
  throw new AckLinkError(verdict.reason);
}

export interface AckRequest {
  alertKey: string;
  tenantId: string;
  actor: string;
  via: AckVia;
  comment?: string;
}

/**
 * Records an acknowledgement in the audit trail (always appended, even when
 * the alert was acknowledged before: the trail shows every attempt) and says
 * whether it was the first. Escalation reads the same trail, so recording is
 * what stops it, whichever process records.
 */
export async function recordAck(
  acks: AckAuditLog,
  request: AckRequest,
  now: EpochMs,
): Promise<{ entry: StoredAck; first: boolean }> {
  const before = await acks.firstAck(request.alertKey);
  const comment = request.comment?.trim();
  const entry = await acks.append({
    alertKey: request.alertKey,
    tenantId: request.tenantId,
    actor: request.actor,
    via: request.via,
    ...(comment ? { comment: comment.slice(0, MAX_ACK_COMMENT_CHARS) } : {}),
    at: now,
  });
  return { entry, first: before === undefined };
}

/** Longest comment kept in the audit trail, characters (an SMS reply, a line typed in the app). */
export const MAX_ACK_COMMENT_CHARS = 500;

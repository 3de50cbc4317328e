import { createHmac } from 'node:crypto';
import { DEFAULTS } from '../notifications.defaults.js';

/**
 * The short code an SMS asks the contact to reply with ("ACK 4821"): a
 * deterministic HMAC of (alert key, contact id), so any notifier instance
 * computes the same code without storing it, and codes cannot be guessed
 * across alerts. Four digits collide (1 in 10,000 between two open alerts of
 * one contact); the reply handler matches codes only among alerts sent to the
 * replying number, where a collision is unlikely and resolved by asking again.
 */
export function ackCodeFor(
  secret: string,
  alertKey: string,
  contactId: string,
  digits: number = DEFAULTS.ack.codeDigits,
): string {
  const h = createHmac('sha256', secret)
    .update(`coldchain.ackcode.v1.${alertKey}\u0000${contactId}`, 'utf8')
    .digest();
  return String(h.readUInt32BE(0) % 10 ** digits).padStart(digits, '0');
}

export type SmsReply =
  /** An acknowledgement; `code` absent for a bare "ACK", `comment` is any text after the code. */
  { kind: 'ack'; code?: string; comment?: string } | { kind: 'other'; text: string };

/**
 * Reads a reply to an alert SMS. Tolerant of case, spacing, punctuation and
 * full-width characters: "ACK 4821", "ack4821", " Ack: 4821 ", "ACK #4821",
 * "Acknowledged 4821 moving stock to fridge B" (comment kept).
 */
export function parseSmsReply(body: string): SmsReply {
  const text = body.normalize('NFKC').trim();
  const m = /^ack(?:nowledge[sd]?)?(?![a-z])[\s:#.-]*(\d+)?(.*)$/is.exec(text);
  if (!m) return { kind: 'other', text };
  const code = m[1];
  const comment = (m[2] ?? '').replace(/^[\s.,;:!-]+/, '').trim();
  // "ACK4821x…" is not a code followed by text; only a separator ends the code.
  if (code !== undefined && comment !== '' && !/^[\s.,;:!-]/.test(m[2] ?? '')) return { kind: 'other', text };
  return { kind: 'ack', ...(code !== undefined ? { code } : {}), ...(comment ? { comment } : {}) };
}

/** The keypad reply on an alert call (`Digits` of Twilio's `<Gather>` callback): "1" acknowledges. */
export function parseVoiceDigits(digits: string | undefined): { kind: 'ack' } | { kind: 'other' } {
  return digits?.trim() === DEFAULTS.ack.voiceAckDigit ? { kind: 'ack' } : { kind: 'other' };
}

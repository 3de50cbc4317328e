import type { DeadLetter } from '@coldchain/contract';
import type { StoredDeadLetter } from './dead-letter.repository.js';

/** The columns of `dead_letters` written per letter, in the order of {@link deadLetterValues}. */
export const DEAD_LETTER_COLUMNS =
  'received_at, hub, topic, reason, detail, rejections, payload_prefix_base64, payload_bytes, payload_sha256, suppressed';

/** One row of `dead_letters` as both engines return it (BIGINT parsed to number by the pool). */
export interface DeadLetterRow {
  id: number;
  received_at: number;
  hub: string;
  topic: string;
  reason: DeadLetter['reason'];
  detail: string;
  /** JSON of `DeadLetter.rejections`. */
  rejections: string;
  payload_prefix_base64: string;
  payload_bytes: number;
  payload_sha256: string | null;
  suppressed: number;
}

/** The values of {@link DEAD_LETTER_COLUMNS} for `d`. */
export function deadLetterValues(
  d: DeadLetter,
): [number, string, string, string, string, string, string, number, string, number] {
  return [
    d.receivedAt,
    d.hub,
    d.topic,
    d.reason,
    d.detail,
    JSON.stringify(d.rejections),
    d.payloadPrefixBase64,
    d.payloadBytes,
    d.payloadSha256,
    d.suppressed,
  ];
}

export const toStoredDeadLetter = (r: DeadLetterRow): StoredDeadLetter => ({
  v: 1,
  id: r.id,
  receivedAt: r.received_at,
  hub: r.hub,
  topic: r.topic,
  reason: r.reason,
  detail: r.detail,
  rejections: JSON.parse(r.rejections) as DeadLetter['rejections'],
  payloadPrefixBase64: r.payload_prefix_base64,
  payloadBytes: r.payload_bytes,
  payloadSha256: r.payload_sha256,
  suppressed: r.suppressed,
});

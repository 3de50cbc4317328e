import { createHash } from 'node:crypto';
import type { ReadingRejection, RejectReason } from './reject-reason.js';

/**
 * Bounds of one dead letter, so that what a hub sends cannot grow the bus or
 * the dead-letter store by more than a few KiB per letter, whatever it sends.
 * Texts longer than their bound are cut and end with `…`.
 */
export const DEAD_LETTER_LIMITS = {
  /** Bytes of the payload kept (its start); the rest is known by its size and SHA-256. */
  payloadPrefixBytes: 4 * 1024, // 4 KiB
  /** `detail`, characters (it may quote the payload). */
  detailChars: 512,
  /** Each rejection's detail, characters. */
  rejectionDetailChars: 128,
  /** `topic`, characters (MQTT allows 65,535 bytes; ours are about 30). */
  topicChars: 256,
  /** `hub`, characters (an IMEI is 15; an unauthenticated sender may name anything). */
  hubChars: 64,
  /** Refused readings listed (a message has at most 1000); the metric counts them all. */
  rejections: 50,
} as const;

/**
 * What the edge keeps of a refused message, or of a message some of whose
 * readings were refused: the start of the raw payload (base64, so that any
 * bytes survive), its size and SHA-256, with the reason. Carried on
 * `coldchain.telemetry.dlq.v1` and kept by the dead-letter store; every field
 * is within {@link DEAD_LETTER_LIMITS}, so one letter is at most about 16 KiB
 * of JSON whatever the hub sent.
 */
export interface DeadLetter {
  v: 1;
  /** MQTT topic the message came on. */
  topic: string;
  /** Hub IMEI as authenticated (or from the topic when not authenticated). */
  hub: string;
  /** Gateway clock at arrival, epoch ms. */
  receivedAt: number;
  /** Why the message, or its first refused reading, was refused. */
  reason: RejectReason;
  detail: string;
  /** Refused readings of a partly accepted message (the first ones); empty when the whole message was refused. */
  rejections: ReadingRejection[];
  /** The first bytes of the raw payload (at most `payloadPrefixBytes`), base64. */
  payloadPrefixBase64: string;
  /** Size of the whole raw payload, bytes. */
  payloadBytes: number;
  /** SHA-256 of the whole raw payload, lower-case hex: tells repeated payloads apart without keeping them. */
  payloadSha256: string;
  /** Dead letters of this hub dropped by the edge's rate limit since its previous letter that was kept. */
  suppressed: number;
}

/** The shape gateways published before payloads were bounded: the whole payload, base64. */
interface UnboundedDeadLetter extends Omit<
  DeadLetter,
  'payloadPrefixBase64' | 'payloadBytes' | 'payloadSha256' | 'suppressed'
> {
  payloadBase64: string;
}

/** The payload fields of a dead letter: the first `prefixBytes` bytes, the size and the SHA-256 of all of it. */
export function deadLetterPayload(
  payload: Uint8Array,
  prefixBytes: number = DEAD_LETTER_LIMITS.payloadPrefixBytes,
): Pick<DeadLetter, 'payloadPrefixBase64' | 'payloadBytes' | 'payloadSha256'> {
  return {
    payloadPrefixBase64: Buffer.from(payload.subarray(0, prefixBytes)).toString('base64'),
    payloadBytes: payload.byteLength,
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
  };
}

/**
 * `text` cut to `max` characters (the last one `…` when cut), NUL replaced:
 * PostgreSQL's text refuses U+0000, and a letter the store refuses would block
 * the dead-letter queue behind it.
 */
export function clipText(text: string, max: number): string {
  const clean = text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
  return clean.length <= max ? clean : clean.slice(0, max - 1) + '…';
}

/**
 * `letter` within {@link DEAD_LETTER_LIMITS}: texts cut, rejections past the
 * limit dropped, the payload cut to its prefix. A letter in the unbounded
 * shape (`payloadBase64`, from a gateway older than the limits, still on the
 * topic) gets its size and hash computed from the whole payload first.
 * Applied by the edge and again by the store's recorder, which trusts no
 * producer with its disk.
 */
export function boundDeadLetter(
  letter: DeadLetter | UnboundedDeadLetter,
  prefixBytes: number = DEAD_LETTER_LIMITS.payloadPrefixBytes,
): DeadLetter {
  const payload =
    'payloadBase64' in letter && typeof letter.payloadBase64 === 'string'
      ? deadLetterPayload(Buffer.from(letter.payloadBase64, 'base64'), prefixBytes)
      : boundPrefix(letter as DeadLetter, prefixBytes);
  const suppressed = 'suppressed' in letter ? letter.suppressed : 0;
  return {
    v: 1,
    topic: clipText(letter.topic, DEAD_LETTER_LIMITS.topicChars),
    hub: clipText(letter.hub, DEAD_LETTER_LIMITS.hubChars),
    receivedAt: letter.receivedAt,
    reason: letter.reason,
    detail: clipText(letter.detail, DEAD_LETTER_LIMITS.detailChars),
    rejections: letter.rejections.slice(0, DEAD_LETTER_LIMITS.rejections).map((r) => ({
      index: r.index,
      reason: r.reason,
      detail: clipText(r.detail, DEAD_LETTER_LIMITS.rejectionDetailChars),
    })),
    ...payload,
    suppressed: Number.isSafeInteger(suppressed) && suppressed > 0 ? suppressed : 0,
  };
}

/** The payload fields of a bounded-shape letter, its prefix cut if a producer sent more. */
function boundPrefix(
  letter: DeadLetter,
  prefixBytes: number,
): Pick<DeadLetter, 'payloadPrefixBase64' | 'payloadBytes' | 'payloadSha256'> {
  // Base64 is 4 characters per 3 bytes: a prefix within the limit is at most this long.
  const maxChars = Math.ceil(prefixBytes / 3) * 4;
  const prefix =
    letter.payloadPrefixBase64.length <= maxChars
      ? letter.payloadPrefixBase64
      : Buffer.from(letter.payloadPrefixBase64, 'base64').subarray(0, prefixBytes).toString('base64');
  return {
    payloadPrefixBase64: prefix,
    payloadBytes: letter.payloadBytes,
    payloadSha256: letter.payloadSha256,
  };
}

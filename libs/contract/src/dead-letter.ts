import type { ReadingRejection, RejectReason } from './reject-reason.js';

/**
 * What the edge keeps of a refused message, or of a message some of whose
 * readings were refused: the raw payload (base64, so that any bytes survive)
 * with the reason. Carried on `coldchain.telemetry.dlq.v1` and kept by the
 * dead-letter store.
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
  /** Refused readings of a partly accepted message; empty when the whole message was refused. */
  rejections: ReadingRejection[];
  /** The raw payload bytes, base64. */
  payloadBase64: string;
}

/**
 * Why the edge refused a message or a reading. Every rejection carries exactly
 * one of these codes; they label `coldchain_readings_rejected_total{reason}`
 * and every dead-letter entry. Stable: add codes, never rename them.
 */
export const REJECT_REASONS = [
  // The whole message is refused (nothing in it is accepted):
  'payload_too_large', // over CONTRACT_LIMITS.maxPayloadBytes
  'malformed_json', // not parseable as JSON
  'unsupported_version', // `v` is not 1
  'invalid_envelope', // a required top-level field is missing or of the wrong type
  'hub_mismatch', // payload `hub` differs from the topic's IMEI
  'invalid_imei', // payload `hub` is no valid IMEI (15 digits, Luhn)
  'too_many_readings', // over CONTRACT_LIMITS.maxReadingsPerMessage
  'unknown_hub', // hub not registered (external-broker mode; the embedded broker refuses it at CONNECT)
  'topic_not_allowed', // a hub publishing outside its own khub/{imei}/ prefix
  // One reading is refused; the others in the message are kept:
  'invalid_reading', // not an object
  'invalid_tag', // `tag` is no MAC spelling we accept
  'unknown_tag', // tag not registered to the hub's tenant
  'invalid_time', // `ts` missing, unparsable, or outside the plausible window
  'invalid_value', // a metric of the wrong type, or not a finite number
  'out_of_range', // a metric outside its physical range
  'no_measurement', // a reading with no metric at all
  // A part of the message is dropped; the readings are kept:
  'invalid_position', // the `gps` block is malformed or out of range (index -1)
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/** A refused reading: its index in the message's `readings`, the reason code and a human-readable detail. */
export interface ReadingRejection {
  index: number;
  reason: RejectReason;
  detail: string;
}

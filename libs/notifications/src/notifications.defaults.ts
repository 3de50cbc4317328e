/**
 * Every tunable of the notifications lib, in one place, with its unit in its
 * name. Callers override per instance through each class's options; these are
 * the values used when they do not.
 */
export const DEFAULTS = {
  smtp: {
    /** Pooled SMTP connections kept open at most. */
    maxConnections: 5,
    /** Messages sent over one pooled connection before it is recycled. */
    maxMessagesPerConnection: 100,
    /** Time to establish the TCP/TLS connection. */
    connectionTimeoutMs: 10_000, // 10 s
    /** Time to wait for the server greeting after connecting. */
    greetingTimeoutMs: 10_000, // 10 s
    /** Idle socket timeout during a transaction. */
    socketTimeoutMs: 30_000, // 30 s
  },
  twilio: {
    /** Per-request HTTP timeout of the twilio client. */
    requestTimeoutMs: 15_000, // 15 s
    /** Callback events requested for voice calls (Calls API `StatusCallbackEvent`). */
    voiceStatusEvents: ['initiated', 'ringing', 'answered', 'completed'] as const,
    /** Seconds the callee has to press a key after the prompt ends (`<Gather timeout>`). */
    gatherTimeoutSeconds: 8,
    /** How many times the spoken alert is repeated in one call. */
    voiceRepeatCount: 2,
    /** Paths below PUBLIC_BASE_URL the notifier serves for Twilio (relative: they keep a base path). */
    statusCallbackPath: 'webhooks/twilio/status',
    voiceGatherPath: 'webhooks/twilio/voice/gather',
    inboundSmsPath: 'webhooks/twilio/sms/inbound',
    /** Query parameter carrying the idempotency key in callback URLs. */
    callbackKeyParam: 'd',
  },
  webhook: {
    /** Whole-request timeout (connect + response). */
    requestTimeoutMs: 10_000, // 10 s
    /** Receivers should refuse signatures older than this (replay window). */
    signatureToleranceMs: 5 * 60_000, // 5 minutes
  },
  outbox: {
    /** File name inside DATA_DIR. */
    fileName: 'outbox.jsonl',
    /**
     * `always`: fdatasync after each line (a line reported written survives a
     * power cut; notifications are a few per minute, so the cost is
     * negligible). `never`: leave it to the OS page cache.
     */
    fsync: 'always' as 'always' | 'never',
  },
  sms: {
    /** One GSM-7 segment (3GPP TS 23.038 §6.1.2.1: 140 octets = 160 septets). */
    gsm7SegmentSeptets: 160,
    /** One UCS-2 segment: 140 octets = 70 UTF-16 code units. */
    ucs2SegmentUnits: 70,
  },
  ack: {
    /** How long an emailed acknowledgement link stays valid. */
    linkTtlMs: 24 * 60 * 60_000, // 24 hours
    /** Digits in the SMS acknowledgement code ("ACK 4821"). */
    codeDigits: 4,
    /** The keypad digit that acknowledges during a voice call. */
    voiceAckDigit: '1',
    /** Path of the acknowledgement link below PUBLIC_BASE_URL (served by the API). */
    linkPath: 'ack',
  },
  delivery: {
    /** Attempts per (alert, contact, channel), the first included. */
    maxAttempts: 5,
    /** Backoff before the 2nd attempt; doubles each attempt ("full jitter" applied). */
    backoffBaseMs: 1_000, // 1 s
    /** Upper bound of one backoff wait. */
    backoffMaxMs: 60_000, // 1 minute
    /**
     * How long one attempt may hold a delivery in `sending` before another
     * process (or this one after a restart) may take it over. Longer than the
     * slowest provider call (SMTP socket timeout, Twilio request timeout).
     */
    sendingLeaseMs: 2 * 60_000, // 2 minutes
  },
  routing: {
    /** A critical alert still unacknowledged after this long is also phoned. */
    voiceAfterUnackedMs: 15 * 60_000, // 15 minutes
    /** After a voice call goes unacknowledged this long, the next person in the chain is tried. */
    nextPersonAfterUnackedMs: 10 * 60_000, // 10 minutes
    /** Alerts of one hub within this window are summarised in one SMS. */
    stormWindowMs: 2 * 60_000, // 2 minutes
    /** Per-tenant budget: messages per window, per channel. */
    rateLimitPerWindow: { email: 60, sms: 30, voice: 10, webhook: 600, outbox: 100_000 },
    /** Width of the rate-limit window. */
    rateLimitWindowMs: 60 * 60_000, // 1 hour
  },
} as const;

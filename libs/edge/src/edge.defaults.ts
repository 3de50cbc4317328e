/** Tunables of the MQTT edge's intake, units in the names; tests pass their own. */
export const EDGE_DEFAULTS = {
  /** Dead letters one hub may produce at once before its rate limit applies (token bucket size). */
  deadLetterBurst: 20,
  /** Then this many per minute and hub (one every 10 s); over it, letters are only counted. */
  deadLetterRefillPerMinute: 6,
  /**
   * Hubs whose buckets are held at most; past it, full buckets (equivalent to
   * a fresh one) are forgotten first, then the oldest. Bounds memory when
   * unauthenticated senders name a new hub in every topic.
   */
  deadLetterTrackedHubs: 100_000,
  // How much of a refused payload a letter keeps is the contract's DEAD_LETTER_LIMITS.payloadPrefixBytes
  // (4 KiB): the dead-letter recorder holds every producer to it.
} as const;

export type DeadLetterLimits = { -readonly [K in keyof typeof EDGE_DEFAULTS]: number };

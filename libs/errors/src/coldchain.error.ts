/**
 * Base of every error the platform raises on purpose. Like kafkajs errors, each
 * says whether retrying the same operation can help (`retriable`) and keeps the
 * underlying `cause`. Edges map these once: HTTP status, bus retry or
 * dead-letter, MQTT acknowledgement withheld.
 */
export class ColdchainError extends Error {
  /** A stable machine-readable code, for logs, metrics and API bodies. */
  readonly code: string;
  /** True when the same operation may succeed later (an engine down, a timeout); false for bad input or a bug. */
  readonly retriable: boolean;

  constructor(message: string, options: { code: string; retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retriable = options.retriable;
  }
}

/**
 * Whether an error is worth retrying. Programming errors (TypeError,
 * RangeError, ReferenceError, SyntaxError) never are; unknown errors from I/O
 * libraries are assumed transient.
 */
export function isRetriable(err: unknown): boolean {
  if (err instanceof ColdchainError) return err.retriable;
  if (
    err instanceof TypeError ||
    err instanceof RangeError ||
    err instanceof ReferenceError ||
    err instanceof SyntaxError
  )
    return false;
  return true;
}

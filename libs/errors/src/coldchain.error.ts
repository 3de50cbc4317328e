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
 * Codes of Node's system errors (and undici's) that mean the connection or the
 * peer failed, not the request, and of SQLite's that mean the database is
 * locked for now: the same operation may succeed later.
 */
export const TRANSIENT_NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  // SQLite (better-sqlite3's SqliteError): another connection holds the lock for now.
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/** How deep `isRetriable` follows `cause` (a wrapper of a wrapper of a socket error). */
const MAX_CAUSE_DEPTH = 5;

/**
 * Whether retrying the same operation can help. Retriable only when the error
 * says so (docs/decisions/retriable-only-when-said.md):
 * - a ColdchainError: its `retriable` flag (adapters wrap an engine's
 *   transient failures in EngineUnavailableError);
 * - any error carrying a boolean `retriable` (kafkajs's KafkaJSError): that flag;
 * - a Node system error whose `code` is in {@link TRANSIENT_NETWORK_ERROR_CODES};
 * - an error whose `cause` (followed a few levels) is one of the above.
 * Everything else is not: a plain Error from a bug, a TypeError, a JSON
 * encoding failure, a driver's programming error, a non-Error value. Retrying
 * those would block the consumer's partition forever.
 */
export function isRetriable(err: unknown): boolean {
  let current = err;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    if (current instanceof ColdchainError) return current.retriable;
    if (typeof current !== 'object' || current === null) return false;
    if (
      current instanceof TypeError ||
      current instanceof RangeError ||
      current instanceof ReferenceError ||
      current instanceof SyntaxError
    )
      return false;
    const { retriable, code, cause } = current as { retriable?: unknown; code?: unknown; cause?: unknown };
    if (typeof retriable === 'boolean') return retriable;
    if (typeof code === 'string' && TRANSIENT_NETWORK_ERROR_CODES.has(code)) return true;
    current = cause;
  }
  return false;
}

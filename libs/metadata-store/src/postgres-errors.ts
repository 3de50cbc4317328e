import { ColdchainError, EngineUnavailableError, InvalidInputError } from '@coldchain/errors';

/** The engine name the store's errors carry (`postgres metadata store unavailable: ...`). */
export const POSTGRES_ENGINE = 'postgres metadata store';

/**
 * SQLSTATE classes where the same operation may succeed later (PostgreSQL
 * manual, Appendix A "PostgreSQL Error Codes"): 08 connection exception,
 * 53 insufficient resources (e.g. 53300 too_many_connections), 57 operator
 * intervention (57014 query_canceled by statement_timeout, 57P01
 * admin_shutdown, 57P03 cannot_connect_now), 58 system error (I/O).
 */
const RETRIABLE_CLASSES = new Set(['08', '53', '57', '58']);

/** Single SQLSTATEs worth a retry: 40001 serialization_failure, 40P01 deadlock_detected, 55P03 lock_not_available. */
const RETRIABLE_CODES = new Set(['40001', '40P01', '55P03']);

/** SQLSTATE classes caused by the values given: 22 data exception, 23 integrity constraint violation. */
const INPUT_CLASSES = new Set(['22', '23']);

/** The fields of pg's DatabaseError (pg-protocol) that the mapping reads. */
interface PgDatabaseError extends Error {
  code: string;
  severity: string;
  detail?: string;
  constraint?: string;
}

/**
 * Whether `err` is an error the server sent (a DatabaseError from
 * pg-protocol). Told by shape rather than `instanceof`, so that two copies of
 * pg-protocol in node_modules cannot defeat it; Node's system errors
 * (ECONNREFUSED, EPIPE) carry a `code` but never a `severity`.
 */
export function isPgServerError(err: unknown): err is PgDatabaseError {
  if (!(err instanceof Error)) return false;
  const { code, severity } = err as Partial<PgDatabaseError>;
  return typeof severity === 'string' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * Maps what pg threw to the platform's errors, once, at this edge:
 * - the server refused the values (SQLSTATE classes 22, 23: a duplicate key,
 *   a missing tenant) → {@link InvalidInputError}, not retriable;
 * - the server is unreachable, shutting down, overloaded or timed out, or the
 *   connection broke (no SQLSTATE at all: ECONNREFUSED, "Connection
 *   terminated", pool connect timeout) → {@link EngineUnavailableError},
 *   retriable, keeping `cause`;
 * - anything else is returned unchanged: a programming error (TypeError, an
 *   SQL syntax error 42601, an unknown table 42P01) or a configuration one
 *   (28P01 wrong password, 3D000 unknown database), which retrying the same
 *   call cannot cure.
 * Errors the platform already raised (ColdchainError) pass through.
 */
export function toStoreError(err: unknown): unknown {
  if (err instanceof ColdchainError) return err;
  if (isPgServerError(err)) {
    if (RETRIABLE_CODES.has(err.code) || RETRIABLE_CLASSES.has(err.code.slice(0, 2)))
      return new EngineUnavailableError(POSTGRES_ENGINE, `${err.message} (SQLSTATE ${err.code})`, err);
    if (INPUT_CLASSES.has(err.code.slice(0, 2))) {
      const message = err.detail ? `${err.message}: ${err.detail}` : err.message;
      return new InvalidInputError(message);
    }
    return err;
  }
  if (
    err instanceof TypeError ||
    err instanceof RangeError ||
    err instanceof ReferenceError ||
    err instanceof SyntaxError
  )
    return err;
  const message = err instanceof Error ? err.message || err.name : String(err);
  return new EngineUnavailableError(POSTGRES_ENGINE, message, err);
}

/** True when `err` is the server's unique_violation (SQLSTATE 23505), whatever the constraint. */
export const isUniqueViolation = (err: unknown): boolean => isPgServerError(err) && err.code === '23505';

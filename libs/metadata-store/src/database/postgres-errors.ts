import { ColdchainError, EngineUnavailableError, InvalidInputError } from '@coldchain/errors';
import { PostgresTlsError } from './postgres-tls.error.js';

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

/**
 * Codes of Node's TLS client when it refuses the server's certificate
 * (OpenSSL X509_V_ERR_* names without the prefix, and Node's own for the
 * host name check). Retrying cannot help: the CA, the host or the
 * certificate has to change.
 */
const TLS_CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** What pg throws when DATABASE_URL asks for TLS and the server answers that it has none. */
const SERVER_WITHOUT_TLS = 'The server does not support SSL connections';

/** The TLS failure `err` stands for, or undefined when it is none. */
function tlsFailure(err: unknown): PostgresTlsError | undefined {
  // By shape, not `instanceof Error`: Node's TLS errors may come from another realm (a test VM).
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return undefined;
  if (typeof code === 'string' && TLS_CERTIFICATE_CODES.has(code))
    return new PostgresTlsError(
      `refused the server's certificate (${code}: ${message}): DATABASE_URL's sslrootcert must name ` +
        'the CA that signed it, and the host must be one the certificate names',
      err,
    );
  if (message === SERVER_WITHOUT_TLS)
    return new PostgresTlsError('is not offered by the server, and DATABASE_URL requires it (sslmode)', err);
  return undefined;
}

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
 * - TLS refused (an untrusted or expired server certificate, another host
 *   name, no TLS at the server) → {@link PostgresTlsError}, not retriable;
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
  const tls = tlsFailure(err);
  if (tls) return tls;
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

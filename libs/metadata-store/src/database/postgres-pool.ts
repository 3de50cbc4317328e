import { readFileSync } from 'node:fs';
import pg from 'pg';
import { PostgresTlsError } from './postgres-tls.error.js';

/** The pool settings {@link createPostgresPool} applies; units in the names. */
export interface PostgresPoolSettings {
  databaseUrl: string;
  /** An unquoted, lower-case SQL identifier (checked by the caller). */
  schema: string;
  poolSize: number;
  connectionTimeoutMs: number;
  idleTimeoutMs: number;
  statementTimeoutMs: number;
  applicationName: string;
}

/** OID of `bigint` (int8) in pg_type. */
const INT8_OID = 20;

/**
 * Parses a BIGINT as a JavaScript number. pg returns int8 as a string by
 * default, because it can exceed 2^53; the store's BIGINT columns are epoch
 * milliseconds, counters and identity ids, all far below that. A value that
 * is not a safe integer fails loudly instead of losing precision.
 */
export function parseBigIntAsNumber(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${text} is not a safe JavaScript integer`);
  return n;
}

/** DATABASE_URL parameters that name a file pg reads (libpq's names). */
const TLS_FILE_PARAMETERS = ['sslrootcert', 'sslcert', 'sslkey'] as const;

/**
 * Checks the certificate files DATABASE_URL names can be read, so that a
 * wrong path fails the start with its name rather than every connection
 * attempt with a bare ENOENT. pg itself reads them, from the URL, on each
 * new connection: TLS settings come from DATABASE_URL only (`sslmode`,
 * `sslrootcert`, `sslcert`, `sslkey`, as libpq spells them; pg treats
 * `require` like `verify-full` unless `uselibpqcompat=true`), which is why
 * the pool below passes no `ssl` option of its own.
 */
export function checkPostgresTlsFiles(databaseUrl: string): void {
  let params: URLSearchParams;
  try {
    params = new URL(databaseUrl).searchParams;
  } catch {
    return; // not a URL (a libpq key=value string): pg reports what is wrong with it
  }
  for (const name of TLS_FILE_PARAMETERS) {
    const file = params.get(name);
    if (file === null || file === '') continue;
    try {
      readFileSync(file);
    } catch (err) {
      throw new PostgresTlsError(
        `cannot read ${name} ${file} named in DATABASE_URL: ${(err as Error).message}`,
        err,
      );
    }
  }
}

/**
 * A pg pool whose connections all use `schema` (through the `search_path`
 * startup parameter, so it holds from the first statement of every pooled
 * connection, with no extra round trip), a server-side statement timeout,
 * TCP keep-alive, and a BIGINT parser scoped to this pool (pg.types is global
 * to the process and other code may rely on its defaults).
 */
export function createPostgresPool(settings: PostgresPoolSettings): pg.Pool {
  checkPostgresTlsFiles(settings.databaseUrl);
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, 'text', parseBigIntAsNumber);
  return new pg.Pool({
    connectionString: settings.databaseUrl,
    max: settings.poolSize,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    idleTimeoutMillis: settings.idleTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    keepAlive: true,
    application_name: settings.applicationName,
    options: `-c search_path=${settings.schema}`,
    types,
  });
}

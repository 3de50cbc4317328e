import pg from 'pg';

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

/**
 * A pg pool whose connections all use `schema` (through the `search_path`
 * startup parameter, so it holds from the first statement of every pooled
 * connection, with no extra round trip), a server-side statement timeout,
 * TCP keep-alive, and a BIGINT parser scoped to this pool (pg.types is global
 * to the process and other code may rely on its defaults).
 */
export function createPostgresPool(settings: PostgresPoolSettings): pg.Pool {
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

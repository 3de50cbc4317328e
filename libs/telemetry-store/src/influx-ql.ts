import type { DoorState, EpochMs, StoredReading } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';
import { POSITION_FIELDS, POSITION_TAGS, READING_FIELDS, READING_TAGS } from './influx-line-protocol.js';
import { InfluxRejectedError } from './influx-rejected.error.js';
import {
  SERIES_METRICS,
  type ReadingQuery,
  type SeriesQuery,
  type StoredPosition,
} from './telemetry-store.port.js';

/**
 * InfluxQL for the reads (InfluxDB 1.x `/query`, also served by 2.x and 3.x
 * through their v1 compatibility API; Flux exists on neither 1.x nor 3.x).
 * Pure functions: statements, their bound parameters, and the mapping of
 * `/query` JSON back to domain objects.
 *
 * Every value that comes from a request (tenant, tag MAC, hub, time bounds,
 * limit) travels as a bound parameter (`$name` in the statement, JSON in the
 * `params` form field); InfluxDB substitutes it as a literal after parsing,
 * so no input can change the statement. Only identifiers from configuration
 * (database, retention policy, measurement) are written into the text, quoted.
 */

/** A v2 bucket as InfluxDB 1.x understands it: "<database>/<retention policy>" or "<database>". */
export interface BucketRef {
  database: string;
  /** Undefined: the database's default retention policy. */
  retentionPolicy?: string;
}

/**
 * Splits a bucket name the way the v1 compatibility contract of InfluxDB
 * 1.8+ and 2.x does (and the infra mapping for 1.6): the first "/" separates
 * database and retention policy.
 */
export function parseBucket(bucket: string): BucketRef {
  const slash = bucket.indexOf('/');
  const database = slash < 0 ? bucket : bucket.slice(0, slash);
  const retentionPolicy = slash < 0 ? undefined : bucket.slice(slash + 1);
  if (database === '' || retentionPolicy === '') {
    throw new InvalidInputError(
      `InfluxDB bucket "${bucket}" must be "<database>" or "<database>/<retention policy>"`,
    );
  }
  return retentionPolicy === undefined ? { database } : { database, retentionPolicy };
}

/** An InfluxQL double-quoted identifier (backslash and double quote escaped). */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new InvalidInputError('InfluxQL: empty identifier');
  if (/[\r\n]/.test(name)) throw new InvalidInputError('InfluxQL: identifier contains a line break');
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `"db"."rp"."measurement"`, or `"db".."measurement"` for the default retention policy. */
export function qualifiedMeasurement(bucket: BucketRef, measurement: string): string {
  const rp = bucket.retentionPolicy === undefined ? '' : quoteIdentifier(bucket.retentionPolicy);
  return `${quoteIdentifier(bucket.database)}.${rp}.${quoteIdentifier(measurement)}`;
}

/** A statement and its bound parameters (sent as `q` and `params`). */
export interface InfluxQlStatement {
  q: string;
  params: Record<string, string | number>;
}

/** An RFC 3339 time InfluxQL compares with `time` (a bound string parameter is read as a time). */
function timeParam(ms: EpochMs, what: string): string {
  if (!Number.isSafeInteger(ms)) throw new InvalidInputError(`${what} must be an integer epoch-ms time`);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new InvalidInputError(`${what} is out of range`);
  return date.toISOString();
}

function limitParam(limit: number): number {
  // LIMIT 0 means "no limit" in InfluxQL; callers handle 0 before building a statement.
  if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidInputError('limit must be an integer >= 1');
  return limit;
}

const T = READING_TAGS;
const PT = POSITION_TAGS;

/** Raw readings of one tag in [from, to), oldest first, at most `limit`. */
export function readingsStatement(
  bucket: BucketRef,
  measurement: string,
  query: ReadingQuery,
): InfluxQlStatement {
  return {
    q:
      `SELECT * FROM ${qualifiedMeasurement(bucket, measurement)} ` +
      `WHERE ${quoteIdentifier(T.tenant)} = $tenant AND ${quoteIdentifier(T.tag)} = $tag ` +
      `AND time >= $from AND time < $to ORDER BY time ASC LIMIT $limit`,
    params: {
      tenant: query.tenantId,
      tag: query.tag,
      from: timeParam(query.from, 'from'),
      to: timeParam(query.to, 'to'),
      limit: limitParam(query.limit),
    },
  };
}

/**
 * One tag's readings aggregated per `stepMs` bucket in [from, to), oldest
 * first: min, max, mean and count of each charted metric, empty buckets left
 * out (`fill(none)`). The step is written into the text (GROUP BY time takes
 * no parameter); it must be a validated integer (assertSeriesQuery), so no
 * input reaches the statement unbound.
 */
export function seriesStatement(
  bucket: BucketRef,
  measurement: string,
  query: SeriesQuery,
): InfluxQlStatement {
  if (!Number.isSafeInteger(query.stepMs) || query.stepMs < 1)
    throw new InvalidInputError('stepMs must be a positive integer');
  const columns = SERIES_METRICS.map((m) => {
    const f = quoteIdentifier(m);
    return (
      `min(${f}) AS ${quoteIdentifier(`${m}_min`)}, max(${f}) AS ${quoteIdentifier(`${m}_max`)}, ` +
      `mean(${f}) AS ${quoteIdentifier(`${m}_mean`)}, count(${f}) AS ${quoteIdentifier(`${m}_count`)}`
    );
  }).join(', ');
  return {
    q:
      `SELECT ${columns} FROM ${qualifiedMeasurement(bucket, measurement)} ` +
      `WHERE ${quoteIdentifier(T.tenant)} = $tenant AND ${quoteIdentifier(T.tag)} = $tag ` +
      `AND time >= $from AND time < $to GROUP BY time(${query.stepMs}ms) fill(none)`,
    params: {
      tenant: query.tenantId,
      tag: query.tag,
      from: timeParam(query.from, 'from'),
      to: timeParam(query.to, 'to'),
    },
  };
}

/**
 * The newest whole point of each of the tenant's tags: one series per tag
 * (GROUP BY the tag key), newest first, one row each. Unlike `LAST(*)`,
 * which picks each field's last value separately (possibly from different
 * points, with no single timestamp), this returns readings as they were written.
 */
export function latestStatement(bucket: BucketRef, measurement: string, tenantId: string): InfluxQlStatement {
  return {
    q:
      `SELECT * FROM ${qualifiedMeasurement(bucket, measurement)} ` +
      `WHERE ${quoteIdentifier(T.tenant)} = $tenant GROUP BY ${quoteIdentifier(T.tag)} ORDER BY time DESC LIMIT 1`,
    params: { tenant: tenantId },
  };
}

/**
 * The tag MACs the tenant has readings for, from the series index (no point
 * is read): the candidates a page of latest readings is cut from, since
 * InfluxQL compares tags only for (in)equality and so cannot express "after".
 */
export function tagValuesStatement(
  bucket: BucketRef,
  measurement: string,
  tenantId: string,
): InfluxQlStatement {
  return {
    q:
      `SHOW TAG VALUES FROM ${qualifiedMeasurement(bucket, measurement)} WITH KEY = ${quoteIdentifier(T.tag)} ` +
      `WHERE ${quoteIdentifier(T.tenant)} = $tenant`,
    params: { tenant: tenantId },
  };
}

/** The values of a `SHOW TAG VALUES` answer (column `value`). */
export function tagValuesOf(answer: unknown): string[] {
  return seriesOf(answer).flatMap((s) => {
    const i = s.columns.indexOf('value');
    return i < 0 ? [] : (s.values ?? []).map((v) => String(v[i]));
  });
}

/**
 * As {@link latestStatement}, for the listed tags only: one bound parameter
 * per MAC (`$tag0`, `$tag1`, ...), OR-ed, so the engine reads those series only.
 */
export function latestOfTagsStatement(
  bucket: BucketRef,
  measurement: string,
  tenantId: string,
  tags: readonly string[],
): InfluxQlStatement {
  if (tags.length === 0) throw new InvalidInputError('latest: at least one tag');
  const params: Record<string, string> = { tenant: tenantId };
  const tag = quoteIdentifier(T.tag);
  const alternatives = tags.map((mac, i) => {
    params[`tag${i}`] = mac;
    return `${tag} = $tag${i}`;
  });
  return {
    q:
      `SELECT * FROM ${qualifiedMeasurement(bucket, measurement)} ` +
      `WHERE ${quoteIdentifier(T.tenant)} = $tenant AND (${alternatives.join(' OR ')}) ` +
      `GROUP BY ${tag} ORDER BY time DESC LIMIT 1`,
    params,
  };
}

/** How many of a tenant's points (those carrying `field`, which every point has) lie before `before`. */
export function countBeforeStatement(
  bucket: BucketRef,
  measurement: string,
  field: string,
  tenantKey: string,
  tenantId: string,
  before: EpochMs,
): InfluxQlStatement {
  return {
    q:
      `SELECT COUNT(${quoteIdentifier(field)}) FROM ${qualifiedMeasurement(bucket, measurement)} ` +
      `WHERE ${quoteIdentifier(tenantKey)} = $tenant AND time < $before`,
    params: { tenant: tenantId, before: timeParam(before, 'before') },
  };
}

/** The count of a `SELECT COUNT(...)` answer; 0 when there is no series (nothing matched). */
export function countOf(answer: unknown): number {
  const [row] = seriesOf(answer).flatMap(rowsOf);
  const count = row === undefined ? 0 : row.count;
  return typeof count === 'number' ? count : 0;
}

/**
 * Deletes a tenant's points measured before `before` (InfluxDB 1.x
 * `DELETE`). The tenant id travels as a bound parameter, so no id (quotes,
 * backslashes, InfluxQL of its own) can change the statement. InfluxDB 1.x
 * refuses a retention policy in a DELETE ("retention policy not supported"):
 * it acts on the measurement in every retention policy of the database, which
 * is why each kind of point keeps a measurement of its own.
 */
export function deleteBeforeStatement(
  measurement: string,
  tenantKey: string,
  tenantId: string,
  before: EpochMs,
): InfluxQlStatement {
  return {
    q: `DELETE FROM ${quoteIdentifier(measurement)} WHERE ${quoteIdentifier(tenantKey)} = $tenant AND time < $before`,
    params: { tenant: tenantId, before: timeParam(before, 'before') },
  };
}

/** One hub's positions in [from, to), oldest first, at most `limit`. */
export function positionsStatement(
  bucket: BucketRef,
  measurement: string,
  tenantId: string,
  hub: string,
  from: EpochMs,
  to: EpochMs,
  limit: number,
): InfluxQlStatement {
  return {
    q:
      `SELECT * FROM ${qualifiedMeasurement(bucket, measurement)} ` +
      `WHERE ${quoteIdentifier(PT.tenant)} = $tenant AND ${quoteIdentifier(PT.hub)} = $hub ` +
      `AND time >= $from AND time < $to ORDER BY time ASC LIMIT $limit`,
    params: {
      tenant: tenantId,
      hub,
      from: timeParam(from, 'from'),
      to: timeParam(to, 'to'),
      limit: limitParam(limit),
    },
  };
}

/** The newest fix of each of the tenant's hubs: one series per hub (GROUP BY the hub key), one row each. */
export function latestPositionsStatement(
  bucket: BucketRef,
  measurement: string,
  tenantId: string,
): InfluxQlStatement {
  return {
    q:
      `SELECT * FROM ${qualifiedMeasurement(bucket, measurement)} ` +
      `WHERE ${quoteIdentifier(PT.tenant)} = $tenant GROUP BY ${quoteIdentifier(PT.hub)} ORDER BY time DESC LIMIT 1`,
    params: { tenant: tenantId },
  };
}

/** The retention policies of a database (to check at start that both buckets exist). */
export function retentionPoliciesStatement(database: string): InfluxQlStatement {
  return { q: `SHOW RETENTION POLICIES ON ${quoteIdentifier(database)}`, params: {} };
}

/** The body of a `/query` request (form-encoded; POST keeps long statements out of URLs and logs). */
export function queryForm(database: string, statement: InfluxQlStatement): string {
  const form = new URLSearchParams({ db: database, q: statement.q, epoch: 'ms' });
  if (Object.keys(statement.params).length > 0) form.set('params', JSON.stringify(statement.params));
  return form.toString();
}

/** One series of a `/query` answer, with `epoch=ms`. */
export interface InfluxSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values?: unknown[][];
}

interface QueryResult {
  statement_id?: number;
  series?: InfluxSeries[];
  error?: string;
  /** Set when the server cut the result (max-row-limit). Series-level `partial` is not this: see below. */
  partial?: boolean;
}

/**
 * The series of the first statement of a `/query` answer. A statement error
 * (which InfluxDB reports with HTTP 200) and a result cut by the server's
 * row limit throw: a silently short answer would read as "no more data".
 *
 * Not checked: the `partial` flag on a *series*. InfluxDB 1.x leaves it set
 * on series it merged from internal chunks in a non-chunked answer (seen on
 * 1.6.7 for every result over 10,000 rows, all rows present).
 */
export function seriesOf(answer: unknown): InfluxSeries[] {
  const results = (answer as { results?: QueryResult[] } | undefined)?.results;
  if (!Array.isArray(results) || results.length === 0) {
    throw new InfluxRejectedError('InfluxQL answer has no results');
  }
  const first = results[0];
  if (typeof first.error === 'string') throw new InfluxRejectedError(first.error);
  if (first.partial === true) {
    throw new InfluxRejectedError('InfluxQL answer was cut by the server row limit (max-row-limit)');
  }
  return first.series ?? [];
}

/** Rows of one series as objects keyed by column, series tags merged in. */
export function rowsOf(series: InfluxSeries): Array<Record<string, unknown>> {
  return (series.values ?? []).map((values) => {
    const row: Record<string, unknown> = { ...series.tags };
    series.columns.forEach((column, i) => {
      row[column] = values[i];
    });
    return row;
  });
}

function num(row: Record<string, unknown>, key: string): number | undefined {
  const v = row[key];
  return typeof v === 'number' ? v : undefined;
}

function str(row: Record<string, unknown>, key: string): string | undefined {
  const v = row[key];
  return typeof v === 'string' ? v : undefined;
}

function required<V>(value: V | undefined, what: string): V {
  if (value === undefined) throw new InfluxRejectedError(`InfluxQL row has no ${what}`);
  return value;
}

/**
 * A reading point back as the domain object, with the same optional fields
 * present or absent as the SQLite adapter returns (an unset field is null in
 * InfluxQL answers: absent here).
 */
export function readingFromRow(row: Record<string, unknown>): StoredReading {
  const f = READING_FIELDS;
  const out: StoredReading = {
    tenantId: required(str(row, T.tenant), T.tenant),
    tag: required(str(row, T.tag), T.tag),
    ts: required(num(row, 'time'), 'time'),
    hub: required(str(row, f.hub), f.hub),
    receivedAt: required(num(row, f.receivedAt), f.receivedAt),
  };
  const seq = num(row, f.seq);
  if (seq !== undefined) out.seq = seq;
  const profileId = str(row, f.profileId);
  if (profileId !== undefined) out.profileId = profileId;
  const temperature = num(row, f.temperature);
  if (temperature !== undefined) out.temperature = temperature;
  const humidity = num(row, f.humidity);
  if (humidity !== undefined) out.humidity = humidity;
  const co2 = num(row, f.co2);
  if (co2 !== undefined) out.co2 = co2;
  const door = num(row, f.door);
  if (door !== undefined) out.door = (door === 1 ? 'open' : 'closed') satisfies DoorState;
  const battery = num(row, f.battery);
  if (battery !== undefined) out.battery = battery;
  const rssi = num(row, f.rssi);
  if (rssi !== undefined) out.rssi = rssi;
  return out;
}

export function positionFromRow(row: Record<string, unknown>): StoredPosition {
  const f = POSITION_FIELDS;
  const out: StoredPosition = {
    tenantId: required(str(row, PT.tenant), PT.tenant),
    hub: required(str(row, PT.hub), PT.hub),
    fixAt: required(num(row, 'time'), 'time'),
    lat: required(num(row, f.lat), f.lat),
    lon: required(num(row, f.lon), f.lon),
  };
  const alt = num(row, f.alt);
  if (alt !== undefined) out.alt = alt;
  const speed = num(row, f.speed);
  if (speed !== undefined) out.speed = speed;
  const hdop = num(row, f.hdop);
  if (hdop !== undefined) out.hdop = hdop;
  return out;
}

/** Names of the retention policies in a `SHOW RETENTION POLICIES` answer. */
export function retentionPolicyNames(answer: unknown): string[] {
  return seriesOf(answer).flatMap((s) => {
    const nameIndex = s.columns.indexOf('name');
    return nameIndex < 0 ? [] : (s.values ?? []).map((v) => String(v[nameIndex]));
  });
}

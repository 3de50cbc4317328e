import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { HttpError, InfluxDB, setLogger, type Logger } from '@influxdata/influxdb-client';
import type { EpochMs, StoredReading } from '@coldchain/domain';
import { ColdchainError, EngineUnavailableError, ShuttingDownError } from '@coldchain/errors';
import {
  POSITION_FIELDS,
  POSITION_TAGS,
  READING_FIELDS,
  READING_TAGS,
  chunkLines,
  escapeMeasurement,
  positionLine,
  readingLine,
} from './influx-line-protocol.js';
import {
  countBeforeStatement,
  countOf,
  deleteBeforeStatement,
  latestOfTagsStatement,
  latestStatement,
  parseBucket,
  tagValuesOf,
  tagValuesStatement,
  positionFromRow,
  latestPositionsStatement,
  positionsStatement,
  queryForm,
  readingFromRow,
  readingsStatement,
  retentionPoliciesStatement,
  seriesStatement,
  retentionPolicyNames,
  rowsOf,
  seriesOf,
  type BucketRef,
  type InfluxQlStatement,
} from './influx-ql.js';
import { InfluxRejectedError } from './influx-rejected.error.js';
import { INFLUX_DEFAULTS, WRITE_API_FIXED } from './influx-telemetry-store.defaults.js';
import { requireNoContentOnWrite } from './influx-write-transport.js';
import { assertLatestQuery } from './latest-query.js';
import { assertSeriesQuery, bucketFromAggregates } from './series-query.js';
import type {
  LatestQuery,
  ReadingQuery,
  SeriesBucket,
  SeriesQuery,
  StoredPosition,
  TelemetryStorePort,
} from './telemetry-store.port.js';

export { InfluxRejectedError } from './influx-rejected.error.js';
export { INFLUX_DEFAULTS } from './influx-telemetry-store.defaults.js';

export interface InfluxTelemetryStoreOptions {
  /** INFLUX_URL: InfluxDB 1.8+/2.x/3.x, or 1.6 behind the infra mapping of the v2 write path. */
  url: string;
  /**
   * PEM of the CA(s) that signed InfluxDB's certificate, for an https `url`
   * (INFLUX_SSL_CA's content); unset = Node's default CAs. Certificates and
   * host names are verified either way.
   */
  ca?: string;
  /** INFLUX_TOKEN (sent as `Authorization: Token`; ignored by a 1.x without auth). */
  token: string;
  /** INFLUX_ORG (required by the v2 write path; ignored by 1.x). */
  org: string;
  /** INFLUX_BUCKET, "<database>/<retention policy>" on 1.x: readings, kept for years. */
  bucket: string;
  /** INFLUX_POSITIONS_BUCKET: GPS positions, in a retention policy that expires them after 60 days. */
  positionsBucket: string;
  /** Measurement of readings; tests use a unique one per run. */
  measurement?: string;
  /** Measurement of positions (in the positions bucket). */
  positionsMeasurement?: string;
  maxLinesPerRequest?: number;
  maxBytesPerRequest?: number;
  maxConcurrentRequests?: number;
  maxConcurrentQueries?: number;
  maxTagsPerLatestQuery?: number;
  gzipThresholdBytes?: number;
  requestTimeoutMs?: number;
}

/** The outcome of one write request: lines InfluxDB took, and lines it dropped as beyond retention. */
interface RequestOutcome {
  stored: number;
  droppedBeyondRetention: number;
}

/**
 * InfluxDB 1.x answers a write whose points are all valid but some older than
 * the retention policy's duration with 400 and one of these messages, after
 * storing the others (`tsdb.PartialWriteError`). Those points would expire at
 * once anyway; refusing the batch would make the bus redeliver it forever.
 * The count of dropped points is the last `dropped=` of the message.
 */
const BEYOND_RETENTION = [
  // 1.6 and 1.7.
  /^partial write: points beyond retention policy dropped=(\d+)$/,
  // 1.8+ (1.13): names the oldest and newest point dropped, then the database and policy.
  /^partial write: dropped \d+ points outside retention policy of duration \S+ - .* dropped=(\d+) for database: .+ for retention policy: .+$/s,
];

let clientLoggerInstalled = false;

/**
 * The client logs every failed write to the console (and, in the trap, only
 * logs it). This adapter reports each failure through the rejection of the
 * `write` call that owns the lines, so the client's error log is dropped;
 * its warnings (misconfiguration hints) still reach the previous logger.
 * `setLogger` is process-wide: installed once, for every client instance.
 */
function installQuietClientLogger(): void {
  if (clientLoggerInstalled) return;
  clientLoggerInstalled = true;
  const quiet: Logger = {
    error: () => undefined,
    warn: (message, err) => previous.warn(message, err),
  };
  // Read by `quiet.warn` only after setLogger returned.
  const previous = setLogger(quiet);
}

/**
 * A keep-alive agent with at most `maxSockets` connections, whose sockets are
 * destroyed when a request on them goes silent for `timeoutMs`. The client
 * rejects a timed-out request but leaves its socket open; with a hung
 * InfluxDB, every pooled socket would stay taken and later requests would
 * wait in the agent's queue, where no timeout runs, forever.
 */
function createAgent(url: string, maxSockets: number, timeoutMs: number, ca?: string): http.Agent {
  const options: http.AgentOptions = { keepAlive: true, maxSockets };
  const agent = url.startsWith('https:')
    ? new https.Agent({ ...options, ...(ca === undefined ? {} : { ca }) })
    : new http.Agent(options);
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (connectOptions, callback) => {
    const socket = createConnection(connectOptions, callback);
    if (socket instanceof net.Socket) {
      socket.setTimeout(timeoutMs);
      socket.on('timeout', () => {
        socket.destroy(new Error(`no data from InfluxDB for ${timeoutMs} ms`));
      });
    }
    return socket;
  };
  return agent;
}

function isProgrammingError(err: unknown): boolean {
  return (
    err instanceof TypeError ||
    err instanceof RangeError ||
    err instanceof ReferenceError ||
    err instanceof SyntaxError
  );
}

/** The message InfluxDB put in an error answer (1.x: `{"error"}`; 2.x: `{"message"}`), else the raw body. */
function influxMessage(err: HttpError): string {
  const json = err.json as { error?: unknown; message?: unknown } | undefined;
  if (typeof json?.error === 'string') return json.error;
  if (typeof json?.message === 'string') return json.message;
  return err.body ?? err.message;
}

/**
 * Maps what the client threw to the platform's errors, once:
 * - InfluxDB refused the content (400, 413, other 4xx) → InfluxRejectedError, not retriable;
 * - InfluxDB unreachable, timing out, overloaded, failing (5xx, 408, 429),
 *   answering a write with anything but 204 (durability unconfirmed), or
 *   refusing credentials / missing a database an operator can fix (401, 403, 404)
 *   → EngineUnavailableError, retriable; the data waits in the bus meanwhile;
 * - programming errors are rethrown as they are (never retried).
 */
export function mapInfluxError(err: unknown, what: string): Error {
  if (err instanceof ColdchainError) return err;
  if (isProgrammingError(err)) return err as Error;
  if (err instanceof HttpError) {
    const status = err.statusCode;
    const message = `${what}: HTTP ${status} ${influxMessage(err)}`;
    if (
      status >= 500 ||
      status < 400 || // a 2xx other than 204, or a redirect: durability unconfirmed, keep the batch
      status === 408 ||
      status === 429 ||
      status === 401 ||
      status === 403 ||
      status === 404
    ) {
      return new EngineUnavailableError('influxdb', message, err);
    }
    return new InfluxRejectedError(message, status, err);
  }
  const code = (err as { code?: unknown } | undefined)?.code;
  const detail =
    err instanceof Error ? err.message || (typeof code === 'string' ? code : err.name) : String(err);
  return new EngineUnavailableError('influxdb', `${what}: ${detail}`, err);
}

/** Orders readings by tag MAC (byte order for the ASCII MACs), as the port promises. */
const byTag = (a: StoredReading, b: StoredReading): number => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);

/**
 * The production telemetry store: InfluxDB, written through the v2 client's
 * WriteApi (`/api/v2/write`, precision ms) and read with InfluxQL on `/query`.
 *
 * Write path, and why it cannot report "resolved but lost":
 * - every `write` call turns its readings and positions into lines, cuts them
 *   into requests (`chunkLines`), and gives each request its own WriteApi:
 *   `writeRecords(lines)` then `flush()`. The WriteApi's batchSize and
 *   maxBatchBytes sit above the request, its flush timer is off and its
 *   retries are 0, so this flush is the one and only send of those lines and
 *   its promise is their fate (the client's automatic sends, whose failures
 *   are only logged, never happen);
 * - a request counts as stored only if InfluxDB answered 204 (the transport
 *   is wrapped so that 200, 201 or a missing status fail the flush: see
 *   `requireNoContentOnWrite`), the client's `writeSuccess` hook saw all its
 *   lines, and `dispose()` reports 0 lines left in its buffers; otherwise the
 *   call rejects;
 * - `write` waits for every request of the call to settle, then resolves
 *   only if all were stored, or rejects (EngineUnavailableError, retriable,
 *   cause kept; InfluxRejectedError for content InfluxDB refuses). Requests
 *   of concurrent calls share nothing but the HTTP agent, so one call's
 *   failure is never another's success;
 * - the write agent holds at most `maxConcurrentRequests` sockets: a burst
 *   queues in the process instead of overflowing the proxy in front of
 *   InfluxDB. Queries and pings use an agent of their own.
 *
 * Idempotence: a point is identified by measurement, tags (tenant, tag) and
 * time; writing it again overwrites it (last writer wins on fields such as
 * hub and receivedAt). InfluxDB cannot tell a duplicate apart, so `written`
 * counts every reading sent (minus readings dropped as beyond retention).
 */
export class InfluxTelemetryStore implements TelemetryStorePort {
  readonly kind = 'influxdb' as const;
  /** Writes: the WriteApi over a transport that takes only 204, on the write agent. */
  private readonly influx: InfluxDB;
  /** Queries and pings, on their own agent: a read never waits behind a queue of writes. */
  private readonly reader: InfluxDB;
  private readonly writeAgent: http.Agent;
  private readonly queryAgent: http.Agent;
  private readonly readingsBucket: BucketRef;
  private readonly positionsBucketRef: BucketRef;
  private readonly measurement: string;
  private readonly positionsMeasurement: string;
  private readonly escapedMeasurement: string;
  private readonly escapedPositionsMeasurement: string;
  private readonly settings: {
    maxLinesPerRequest: number;
    maxBytesPerRequest: number;
    gzipThresholdBytes: number;
  };
  private readonly maxTagsPerLatestQuery: number;
  private readonly pendingWrites = new Set<Promise<unknown>>();
  private healthy = false;
  private closing = false;

  constructor(private readonly options: InfluxTelemetryStoreOptions) {
    installQuietClientLogger();
    this.readingsBucket = parseBucket(options.bucket);
    this.positionsBucketRef = parseBucket(options.positionsBucket);
    this.measurement = options.measurement ?? INFLUX_DEFAULTS.measurement;
    this.positionsMeasurement = options.positionsMeasurement ?? INFLUX_DEFAULTS.positionsMeasurement;
    this.escapedMeasurement = escapeMeasurement(this.measurement);
    this.escapedPositionsMeasurement = escapeMeasurement(this.positionsMeasurement);
    this.settings = {
      maxLinesPerRequest: options.maxLinesPerRequest ?? INFLUX_DEFAULTS.maxLinesPerRequest,
      maxBytesPerRequest: options.maxBytesPerRequest ?? INFLUX_DEFAULTS.maxBytesPerRequest,
      gzipThresholdBytes: options.gzipThresholdBytes ?? INFLUX_DEFAULTS.gzipThresholdBytes,
    };
    this.maxTagsPerLatestQuery = options.maxTagsPerLatestQuery ?? INFLUX_DEFAULTS.maxTagsPerLatestQuery;
    const timeoutMs = options.requestTimeoutMs ?? INFLUX_DEFAULTS.requestTimeoutMs;
    this.writeAgent = createAgent(
      options.url,
      options.maxConcurrentRequests ?? INFLUX_DEFAULTS.maxConcurrentRequests,
      timeoutMs,
      options.ca,
    );
    this.queryAgent = createAgent(
      options.url,
      options.maxConcurrentQueries ?? INFLUX_DEFAULTS.maxConcurrentQueries,
      timeoutMs,
      options.ca,
    );
    const connection = { url: options.url, token: options.token, timeout: timeoutMs };
    this.influx = new InfluxDB({
      ...connection,
      transport: requireNoContentOnWrite(
        new InfluxDB({ ...connection, transportOptions: { agent: this.writeAgent } }).transport,
      ),
    });
    this.reader = new InfluxDB({ ...connection, transportOptions: { agent: this.queryAgent } });
  }

  /**
   * Checks that InfluxDB answers `/ping` (through the same URL the writes
   * use) and that both buckets' retention policies exist, and fails with an
   * error that names what is missing.
   */
  async start(): Promise<void> {
    await this.ping();
    for (const [name, ref] of [
      ['bucket', this.readingsBucket],
      ['positionsBucket', this.positionsBucketRef],
    ] as const) {
      if (ref.retentionPolicy === undefined) continue;
      let policies: string[];
      try {
        policies = retentionPolicyNames(
          await this.query(ref.database, retentionPoliciesStatement(ref.database)),
        );
      } catch (err) {
        throw new EngineUnavailableError(
          'influxdb',
          `cannot list the retention policies of database "${ref.database}" (${name}): ${(err as Error).message}`,
          err,
        );
      }
      if (!policies.includes(ref.retentionPolicy)) {
        throw new EngineUnavailableError(
          'influxdb',
          `database "${ref.database}" has no retention policy "${ref.retentionPolicy}" (${name} ` +
            `"${ref.database}/${ref.retentionPolicy}"); provision it (infra/up.sh does)`,
        );
      }
    }
  }

  /** `GET /ping` (204 from InfluxDB 1.x, 2.x and 3.x alike); updates the health flag. */
  async ping(): Promise<void> {
    try {
      await this.reader.transport.request('/ping', '', { method: 'GET' });
      this.healthy = true;
    } catch (err) {
      this.healthy = false;
      throw new EngineUnavailableError(
        'influxdb',
        `no answer to ${this.options.url}/ping: ${(err as Error).message || String((err as { code?: unknown }).code)}`,
        err,
      );
    }
  }

  async write(
    readings: readonly StoredReading[],
    positions: readonly StoredPosition[],
  ): Promise<{ written: number }> {
    if (this.closing) throw new ShuttingDownError('influxdb telemetry store');
    const pending = this.writeAll(readings, positions);
    this.pendingWrites.add(pending);
    try {
      return await pending;
    } finally {
      this.pendingWrites.delete(pending);
    }
  }

  private async writeAll(
    readings: readonly StoredReading[],
    positions: readonly StoredPosition[],
  ): Promise<{ written: number }> {
    // Built before anything is sent: a reading the protocol cannot carry
    // rejects the whole call (InvalidInputError) with nothing written.
    const readingLines = readings.map((r) => readingLine(this.escapedMeasurement, r));
    const positionLines = positions.map((p) => positionLine(this.escapedPositionsMeasurement, p));
    const { maxLinesPerRequest, maxBytesPerRequest } = this.settings;
    const requests = [
      ...chunkLines(readingLines, maxLinesPerRequest, maxBytesPerRequest).map((lines) => ({
        bucket: this.options.bucket,
        lines,
        readings: true,
      })),
      ...chunkLines(positionLines, maxLinesPerRequest, maxBytesPerRequest).map((lines) => ({
        bucket: this.options.positionsBucket,
        lines,
        readings: false,
      })),
    ];
    if (requests.length === 0) return { written: 0 };
    // All requests settle before the call does: when it rejects, none of its
    // lines is still in flight, and a retry by the caller races nothing.
    const outcomes = await Promise.allSettled(requests.map((r) => this.sendRequest(r.bucket, r.lines)));
    const failures = outcomes
      .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
      .map((o) => o.reason as Error);
    // Health follows the call as a whole: one request that could not reach InfluxDB makes it unhealthy.
    this.healthy = !failures.some((e) => e instanceof EngineUnavailableError);
    if (failures.length > 0) {
      // A refusal of content outranks an outage: retrying the batch could not succeed.
      const worst = failures.find((e) => !(e instanceof EngineUnavailableError)) ?? failures[0];
      if (failures.length > 1) {
        worst.message += ` (${failures.length} of ${requests.length} write requests of this call failed)`;
      }
      throw worst;
    }
    let written = readings.length;
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled' && requests[i].readings) written -= o.value.droppedBeyondRetention;
    });
    return { written };
  }

  /** One HTTP write request through its own WriteApi; resolves only when InfluxDB answered 204 for all lines. */
  private async sendRequest(bucket: string, lines: string[]): Promise<RequestOutcome> {
    let acknowledged = 0;
    const writeApi = this.influx.getWriteApi(this.options.org, bucket, 'ms', {
      ...WRITE_API_FIXED,
      // Above the request's size: `writeRecords` never starts a send of its own.
      batchSize: lines.length + 1,
      maxBatchBytes: Number.MAX_SAFE_INTEGER,
      gzipThreshold: this.settings.gzipThresholdBytes,
      writeSuccess: (ok) => {
        acknowledged += ok.length;
      },
    });
    writeApi.writeRecords(lines);
    let failure: unknown;
    try {
      await writeApi.flush();
    } catch (err) {
      failure = err;
    }
    // Lines still in the client's buffers were never sent: must be none.
    const leftInClient = writeApi.dispose();

    if (failure !== undefined) {
      if (failure instanceof HttpError && failure.statusCode === 400) {
        const message = influxMessage(failure);
        const beyond =
          BEYOND_RETENTION.map((pattern) => pattern.exec(message)).find((m) => m !== null) ?? null;
        if (beyond !== null) {
          return { stored: lines.length - Number(beyond[1]), droppedBeyondRetention: Number(beyond[1]) };
        }
      }
      throw mapInfluxError(failure, `write of ${lines.length} lines to ${bucket}`);
    }
    if (acknowledged !== lines.length || leftInClient !== 0) {
      throw new EngineUnavailableError(
        'influxdb',
        `write to ${bucket}: ${acknowledged} of ${lines.length} lines acknowledged, ${leftInClient} left unsent in the client`,
      );
    }
    return { stored: lines.length, droppedBeyondRetention: 0 };
  }

  async readings(query: ReadingQuery): Promise<StoredReading[]> {
    if (query.limit <= 0) return [];
    const statement = readingsStatement(this.readingsBucket, this.measurement, query);
    const series = seriesOf(await this.query(this.readingsBucket.database, statement));
    return series.flatMap(rowsOf).map(readingFromRow);
  }

  async series(query: SeriesQuery): Promise<SeriesBucket[]> {
    assertSeriesQuery(query);
    const statement = seriesStatement(this.readingsBucket, this.measurement, query);
    const series = seriesOf(await this.query(this.readingsBucket.database, statement));
    return series.flatMap(rowsOf).map((row) => bucketFromAggregates(row.time as number, row));
  }

  /**
   * Every tag at once: one `GROUP BY tag` query. A page: the tenant's tag
   * MACs from the series index (`SHOW TAG VALUES`, sorted here), those after
   * `after`, then the newest point of the next `limit` of them, in chunks of
   * at most `maxTagsPerLatestQuery`, until the page is full or they run out
   * (a tag whose points have all expired is still in the index and yields none).
   */
  async latest(tenantId: string, query: LatestQuery = {}): Promise<StoredReading[]> {
    assertLatestQuery(query);
    const db = this.readingsBucket.database;
    if (query.after === undefined && query.limit === undefined) {
      const statement = latestStatement(this.readingsBucket, this.measurement, tenantId);
      return seriesOf(await this.query(db, statement))
        .flatMap(rowsOf)
        .map(readingFromRow)
        .sort(byTag);
    }
    const after = query.after;
    const candidates = tagValuesOf(
      await this.query(db, tagValuesStatement(this.readingsBucket, this.measurement, tenantId)),
    )
      .filter((mac) => after === undefined || mac > after)
      .sort();
    const limit = query.limit ?? candidates.length;
    const page: StoredReading[] = [];
    for (let next = 0; page.length < limit && next < candidates.length;) {
      const chunk = candidates.slice(next, next + Math.min(limit - page.length, this.maxTagsPerLatestQuery));
      next += chunk.length;
      const statement = latestOfTagsStatement(this.readingsBucket, this.measurement, tenantId, chunk);
      page.push(
        ...seriesOf(await this.query(db, statement))
          .flatMap(rowsOf)
          .map(readingFromRow)
          .sort(byTag),
      );
    }
    return page;
  }

  async positions(
    tenantId: string,
    hub: string,
    from: EpochMs,
    to: EpochMs,
    limit: number,
  ): Promise<StoredPosition[]> {
    if (limit <= 0) return [];
    const statement = positionsStatement(
      this.positionsBucketRef,
      this.positionsMeasurement,
      tenantId,
      hub,
      from,
      to,
      limit,
    );
    const series = seriesOf(await this.query(this.positionsBucketRef.database, statement));
    return series.flatMap(rowsOf).map(positionFromRow);
  }

  /**
   * For every tenant, InfluxDB expires data by the buckets' retention
   * policies (infra/engines/influxdb.sh): nothing to delete here. For one
   * tenant (a shorter retention of its own), its points before the bound are
   * counted, then deleted with InfluxQL `DELETE` (deleteBeforeStatement); the
   * count is what was there just before, so a point written in between may
   * go uncounted, never undeleted. Run hourly by ingest's retention job.
   */
  async purge(before: {
    readingsBefore?: EpochMs;
    positionsBefore?: EpochMs;
    tenantId?: string;
  }): Promise<{ readings: number; positions: number }> {
    const gone = { readings: 0, positions: 0 };
    if (before.tenantId === undefined) return gone;
    if (before.readingsBefore !== undefined)
      gone.readings = await this.deleteBefore(
        this.readingsBucket,
        this.measurement,
        READING_FIELDS.receivedAt,
        READING_TAGS.tenant,
        before.tenantId,
        before.readingsBefore,
      );
    if (before.positionsBefore !== undefined)
      gone.positions = await this.deleteBefore(
        this.positionsBucketRef,
        this.positionsMeasurement,
        POSITION_FIELDS.lat,
        POSITION_TAGS.tenant,
        before.tenantId,
        before.positionsBefore,
      );
    return gone;
  }

  /** Counts, then deletes, one tenant's points of `measurement` before `before`; returns the count. */
  private async deleteBefore(
    bucket: BucketRef,
    measurement: string,
    countedField: string,
    tenantKey: string,
    tenantId: string,
    before: EpochMs,
  ): Promise<number> {
    const count = countOf(
      await this.query(
        bucket.database,
        countBeforeStatement(bucket, measurement, countedField, tenantKey, tenantId, before),
      ),
    );
    if (count === 0) return 0;
    seriesOf(
      await this.query(bucket.database, deleteBeforeStatement(measurement, tenantKey, tenantId, before)),
    );
    return count;
  }

  async latestPositions(tenantId: string): Promise<StoredPosition[]> {
    const statement = latestPositionsStatement(this.positionsBucketRef, this.positionsMeasurement, tenantId);
    const series = seriesOf(await this.query(this.positionsBucketRef.database, statement));
    return series
      .flatMap(rowsOf)
      .map(positionFromRow)
      .sort((a, b) => (a.hub < b.hub ? -1 : a.hub > b.hub ? 1 : 0));
  }

  /** POST /query, form-encoded, answer as JSON with epoch-ms times. */
  private async query(database: string, statement: InfluxQlStatement): Promise<unknown> {
    try {
      const answer: unknown = await this.reader.transport.request('/query', queryForm(database, statement), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      });
      this.healthy = true;
      return answer;
    } catch (err) {
      const mapped = mapInfluxError(err, 'query');
      if (mapped instanceof EngineUnavailableError) this.healthy = false;
      throw mapped;
    }
  }

  /** True after the last write, query or ping reached InfluxDB; false after one could not, and before start. */
  isHealthy(): boolean {
    return this.healthy;
  }

  /** Takes no new writes, waits for the ones in flight to settle, then closes the HTTP connections. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.pendingWrites]);
    this.healthy = false;
    this.writeAgent.destroy();
    this.queryAgent.destroy();
  }
}

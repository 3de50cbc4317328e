import Database from 'better-sqlite3';
import { preparePrivateFile } from '@coldchain/config';
import type { EpochMs, StoredReading } from '@coldchain/domain';
import { EngineUnavailableError } from '@coldchain/errors';
import { assertLatestQuery } from './latest-query.js';
import { assertSeriesQuery, bucketFromAggregates } from './series-query.js';
import {
  SERIES_METRICS,
  type LatestQuery,
  type ReadingQuery,
  type SeriesBucket,
  type SeriesQuery,
  type StoredPosition,
  type TelemetryStorePort,
} from './telemetry-store.port.js';

/** Per metric: MIN, MAX, AVG, COUNT columns named `<metric>_min` ... (metric names are constants, never input). */
const SERIES_COLUMNS = SERIES_METRICS.map(
  (m) => `MIN(${m}) AS ${m}_min, MAX(${m}) AS ${m}_max, AVG(${m}) AS ${m}_mean, COUNT(${m}) AS ${m}_count`,
).join(', ');

const READING_COLUMNS =
  'tenant_id, tag, ts, seq, hub, profile_id, temperature, humidity, co2, door, battery, rssi, received_at';
const POSITION_COLUMNS = 'tenant_id, hub, fix_at, lat, lon, alt, speed, hdop';

/**
 * Runs `stmt` with a reading's values in READING_COLUMNS order. Arguments
 * passed directly, not spread from an array: this runs once per reading on
 * the embedded hot path and allocates nothing.
 */
function runReading(stmt: Database.Statement, r: StoredReading): Database.RunResult {
  return stmt.run(
    r.tenantId,
    r.tag,
    r.ts,
    r.seq ?? null,
    r.hub,
    r.profileId ?? null,
    r.temperature ?? null,
    r.humidity ?? null,
    r.co2 ?? null,
    r.door === undefined ? null : r.door === 'open' ? 1 : 0,
    r.battery ?? null,
    r.rssi ?? null,
    r.receivedAt,
  );
}

/** Runs `stmt` with a fix's values in POSITION_COLUMNS order. */
function runPosition(stmt: Database.Statement, p: StoredPosition): Database.RunResult {
  return stmt.run(p.tenantId, p.hub, p.fixAt, p.lat, p.lon, p.alt ?? null, p.speed ?? null, p.hdop ?? null);
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS readings (
  tenant_id   TEXT    NOT NULL,
  tag         TEXT    NOT NULL,
  ts          INTEGER NOT NULL, -- measured time, epoch ms
  seq         INTEGER,
  hub         TEXT    NOT NULL,
  profile_id  TEXT,
  temperature REAL,             -- °C
  humidity    REAL,             -- %RH
  co2         REAL,             -- ppm
  door        INTEGER,          -- 1 open, 0 closed
  battery     REAL,             -- %
  rssi        REAL,             -- dBm
  received_at INTEGER NOT NULL, -- gateway time, epoch ms
  PRIMARY KEY (tenant_id, tag, ts)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS positions (
  tenant_id TEXT    NOT NULL,
  hub       TEXT    NOT NULL,
  fix_at    INTEGER NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL, alt REAL, speed REAL, hdop REAL,
  PRIMARY KEY (tenant_id, hub, fix_at)
) WITHOUT ROWID;

-- The newest reading of each tag and the newest fix of each hub, kept on write (one upsert per tag
-- or hub per batch) so that the dashboard's latest values and live map never scan the history.
CREATE TABLE IF NOT EXISTS latest_readings (
  tenant_id TEXT NOT NULL, tag TEXT NOT NULL, ts INTEGER NOT NULL, seq INTEGER, hub TEXT NOT NULL, profile_id TEXT,
  temperature REAL, humidity REAL, co2 REAL, door INTEGER, battery REAL, rssi REAL, received_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, tag)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS latest_positions (
  tenant_id TEXT NOT NULL, hub TEXT NOT NULL, fix_at INTEGER NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL, alt REAL, speed REAL, hdop REAL,
  PRIMARY KEY (tenant_id, hub)
) WITHOUT ROWID;
`;

interface ReadingRow {
  tenant_id: string;
  tag: string;
  ts: number;
  seq: number | null;
  hub: string;
  profile_id: string | null;
  temperature: number | null;
  humidity: number | null;
  co2: number | null;
  door: number | null;
  battery: number | null;
  rssi: number | null;
  received_at: number;
}

function toReading(r: ReadingRow): StoredReading {
  const out: StoredReading = {
    tenantId: r.tenant_id,
    tag: r.tag,
    ts: r.ts,
    hub: r.hub,
    receivedAt: r.received_at,
  };
  if (r.seq !== null) out.seq = r.seq;
  if (r.profile_id !== null) out.profileId = r.profile_id;
  if (r.temperature !== null) out.temperature = r.temperature;
  if (r.humidity !== null) out.humidity = r.humidity;
  if (r.co2 !== null) out.co2 = r.co2;
  if (r.door !== null) out.door = r.door === 1 ? 'open' : 'closed';
  if (r.battery !== null) out.battery = r.battery;
  if (r.rssi !== null) out.rssi = r.rssi;
  return out;
}

/**
 * The embedded default's telemetry store: one SQLite file (WAL, synchronous
 * FULL so that a committed batch survives power loss), written one transaction
 * per batch. better-sqlite3 is synchronous: a batch of a few thousand rows
 * blocks the event loop for milliseconds, which the embedded default accepts.
 */
interface PositionRow {
  tenant_id: string;
  hub: string;
  fix_at: number;
  lat: number;
  lon: number;
  alt: number | null;
  speed: number | null;
  hdop: number | null;
}

function toPosition(r: PositionRow): StoredPosition {
  const p: StoredPosition = { tenantId: r.tenant_id, hub: r.hub, fixAt: r.fix_at, lat: r.lat, lon: r.lon };
  if (r.alt !== null) p.alt = r.alt;
  if (r.speed !== null) p.speed = r.speed;
  if (r.hdop !== null) p.hdop = r.hdop;
  return p;
}

export class SqliteTelemetryStore implements TelemetryStorePort {
  readonly kind = 'sqlite' as const;
  private db?: Database.Database;
  private insertReading?: Database.Statement;
  private insertPosition?: Database.Statement;
  private upsertLatestReading?: Database.Statement;
  private upsertLatestPosition?: Database.Statement;
  private writeTx?: (readings: readonly StoredReading[], positions: readonly StoredPosition[]) => number;

  constructor(private readonly file: string) {}

  async start(): Promise<void> {
    preparePrivateFile(this.file); // 0600 in a 0700 folder: see @coldchain/config's data-dir
    const db = new Database(this.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    this.insertReading = db.prepare(
      `INSERT OR IGNORE INTO readings (${READING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertPosition = db.prepare(
      `INSERT OR IGNORE INTO positions (${POSITION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Newer wins (measured time): a hub flushing hours of backlog never replaces a fresher value.
    this.upsertLatestReading = db.prepare(
      `INSERT INTO latest_readings (${READING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, tag) DO UPDATE SET ts = excluded.ts, seq = excluded.seq, hub = excluded.hub,
         profile_id = excluded.profile_id, temperature = excluded.temperature, humidity = excluded.humidity,
         co2 = excluded.co2, door = excluded.door, battery = excluded.battery, rssi = excluded.rssi,
         received_at = excluded.received_at
       WHERE excluded.ts > latest_readings.ts`,
    );
    this.upsertLatestPosition = db.prepare(
      `INSERT INTO latest_positions (${POSITION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, hub) DO UPDATE SET fix_at = excluded.fix_at, lat = excluded.lat, lon = excluded.lon,
         alt = excluded.alt, speed = excluded.speed, hdop = excluded.hdop
       WHERE excluded.fix_at > latest_positions.fix_at`,
    );
    this.writeTx = db.transaction(
      (readings: readonly StoredReading[], positions: readonly StoredPosition[]) => {
        let written = 0;
        // Newest reading per tag. Readings arrive in runs of one tag (ingest flattens one tag's
        // record at a time), so the map is touched once per run, not once per reading.
        const newest = new Map<string, StoredReading>();
        const keep = (r: StoredReading) => {
          const key = `${r.tenantId}\u0000${r.tag}`;
          const held = newest.get(key);
          if (held === undefined || r.ts > held.ts) newest.set(key, r);
        };
        let run: StoredReading | undefined;
        for (const r of readings) {
          written += runReading(this.insertReading!, r).changes;
          if (run !== undefined && run.tag === r.tag && run.tenantId === r.tenantId) {
            if (r.ts > run.ts) run = r;
            continue;
          }
          if (run !== undefined) keep(run);
          run = r;
        }
        if (run !== undefined) keep(run);
        for (const r of newest.values()) runReading(this.upsertLatestReading!, r);
        const newestFix = new Map<string, StoredPosition>();
        for (const p of positions) {
          runPosition(this.insertPosition!, p);
          const key = `${p.tenantId}\u0000${p.hub}`;
          const held = newestFix.get(key);
          if (held === undefined || p.fixAt > held.fixAt) newestFix.set(key, p);
        }
        for (const p of newestFix.values()) runPosition(this.upsertLatestPosition!, p);
        return written;
      },
    );
    // A store written before the latest tables existed: fill them once from the history.
    const empty = db.prepare('SELECT 1 FROM latest_readings LIMIT 1').get() === undefined;
    if (empty) {
      db.exec(
        `INSERT OR IGNORE INTO latest_readings (${READING_COLUMNS})
         SELECT ${READING_COLUMNS} FROM readings r WHERE ts = (SELECT MAX(ts) FROM readings m WHERE m.tenant_id = r.tenant_id AND m.tag = r.tag);
         INSERT OR IGNORE INTO latest_positions (${POSITION_COLUMNS})
         SELECT ${POSITION_COLUMNS} FROM positions p WHERE fix_at = (SELECT MAX(fix_at) FROM positions m WHERE m.tenant_id = p.tenant_id AND m.hub = p.hub);`,
      );
    }
    this.db = db;
  }

  private open(): Database.Database {
    if (!this.db?.open) throw new EngineUnavailableError('sqlite telemetry store', 'not open');
    return this.db;
  }

  async write(
    readings: readonly StoredReading[],
    positions: readonly StoredPosition[],
  ): Promise<{ written: number }> {
    this.open();
    try {
      return { written: this.writeTx!(readings, positions) };
    } catch (err) {
      // SQLITE_BUSY / IOERR / FULL are worth retrying; the bus redelivers the batch.
      throw new EngineUnavailableError('sqlite telemetry store', (err as Error).message, err);
    }
  }

  async readings(q: ReadingQuery): Promise<StoredReading[]> {
    const rows = this.open()
      .prepare(
        `SELECT * FROM readings WHERE tenant_id = ? AND tag = ? AND ts >= ? AND ts < ? ORDER BY ts LIMIT ?`,
      )
      .all(q.tenantId, q.tag, q.from, q.to, q.limit) as ReadingRow[];
    return rows.map(toReading);
  }

  async series(q: SeriesQuery): Promise<SeriesBucket[]> {
    assertSeriesQuery(q);
    // Integer division (better-sqlite3 binds JS numbers as REAL, hence the CAST): buckets aligned to multiples of the step since the epoch.
    const rows = this.open()
      .prepare(
        `SELECT (ts / CAST(? AS INTEGER)) * ? AS start, ${SERIES_COLUMNS} FROM readings
         WHERE tenant_id = ? AND tag = ? AND ts >= ? AND ts < ? GROUP BY ts / CAST(? AS INTEGER) ORDER BY start`,
      )
      .all(q.stepMs, q.stepMs, q.tenantId, q.tag, q.from, q.to, q.stepMs) as Array<Record<string, unknown>>;
    return rows.map((r) => bucketFromAggregates(r.start as number, r));
  }

  /** A range scan of the latest table's primary key (tenant_id, tag): a page costs its own rows only. */
  async latest(tenantId: string, query: LatestQuery = {}): Promise<StoredReading[]> {
    assertLatestQuery(query);
    const after = query.after === undefined ? '' : ' AND tag > ?';
    const limit = query.limit === undefined ? '' : ' LIMIT ?';
    const values: unknown[] = [tenantId];
    if (query.after !== undefined) values.push(query.after);
    if (query.limit !== undefined) values.push(query.limit);
    const rows = this.open()
      .prepare(
        `SELECT ${READING_COLUMNS} FROM latest_readings WHERE tenant_id = ?${after} ORDER BY tag${limit}`,
      )
      .all(...values) as ReadingRow[];
    return rows.map(toReading);
  }

  async positions(
    tenantId: string,
    hub: string,
    from: EpochMs,
    to: EpochMs,
    limit: number,
  ): Promise<StoredPosition[]> {
    const rows = this.open()
      .prepare(
        `SELECT * FROM positions WHERE tenant_id = ? AND hub = ? AND fix_at >= ? AND fix_at < ? ORDER BY fix_at LIMIT ?`,
      )
      .all(tenantId, hub, from, to, limit) as PositionRow[];
    return rows.map(toPosition);
  }

  async purge(before: {
    readingsBefore?: EpochMs;
    positionsBefore?: EpochMs;
    tenantId?: string;
  }): Promise<{ readings: number; positions: number }> {
    const db = this.open();
    // Tenant clause and its value when one tenant is purged; constant text, the id is bound.
    const scope = before.tenantId === undefined ? '' : ' AND tenant_id = ?';
    const scoped = before.tenantId === undefined ? [] : [before.tenantId];
    return db.transaction(() => {
      let readings = 0;
      let positions = 0;
      if (before.readingsBefore !== undefined) {
        readings = db
          .prepare(`DELETE FROM readings WHERE ts < ?${scope}`)
          .run(before.readingsBefore, ...scoped).changes;
        db.prepare(`DELETE FROM latest_readings WHERE ts < ?${scope}`).run(before.readingsBefore, ...scoped);
      }
      if (before.positionsBefore !== undefined) {
        positions = db
          .prepare(`DELETE FROM positions WHERE fix_at < ?${scope}`)
          .run(before.positionsBefore, ...scoped).changes;
        // Expired means expired: the live map forgets a hub's last fix too.
        db.prepare(`DELETE FROM latest_positions WHERE fix_at < ?${scope}`).run(
          before.positionsBefore,
          ...scoped,
        );
      }
      return { readings, positions };
    })();
  }

  async latestPositions(tenantId: string): Promise<StoredPosition[]> {
    const rows = this.open()
      .prepare(`SELECT ${POSITION_COLUMNS} FROM latest_positions WHERE tenant_id = ? ORDER BY hub`)
      .all(tenantId) as PositionRow[];
    return rows.map(toPosition);
  }

  isHealthy(): boolean {
    return this.db?.open === true;
  }

  async close(): Promise<void> {
    if (this.db?.open) {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
  }
}

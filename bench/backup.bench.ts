/**
 * Backup and restore of the telemetry history: seconds and archive bytes for
 * N readings, on the embedded default (SQLite: the online backup API) and,
 * with --production, on InfluxDB (influxd backup/restore -portable; needs
 * the infra's InfluxDB and its RPC port, INFLUXD_RPC_PORT, default 8188).
 * The readings are written straight into the store (not through MQTT), N
 * tags round-robin a minute apart. After a build:
 *
 *   node dist/bench/backup.bench.js [--readings 1000000] [--tags 1000] [--production]
 *
 * Prints a table and writes bench/results/backup.json. The InfluxDB database
 * is one of this run's own, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { restoreArchive, takeBackup } from '@coldchain/backup';
import { loadConfig, type ColdchainConfig } from '@coldchain/config';
import { systemClock, type StoredReading } from '@coldchain/domain';
import { SqliteDatabase } from '@coldchain/metadata-store';
import {
  InfluxTelemetryStore,
  SqliteTelemetryStore,
  type TelemetryStorePort,
} from '@coldchain/telemetry-store';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const READINGS = arg('readings', 1_000_000);
const TAGS = arg('tags', 1_000);
const BATCH = 10_000;
const T0 = Date.UTC(2026, 0, 1);
const env = (key: string, fallback: string): string => process.env[key] ?? fallback;

async function fill(store: TelemetryStorePort): Promise<void> {
  await store.start();
  const macs = Array.from({ length: TAGS }, (_, i) =>
    `C0:FF:EE:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`.toUpperCase(),
  );
  for (let i = 0; i < READINGS; i += BATCH) {
    const batch: StoredReading[] = [];
    for (let j = i; j < Math.min(i + BATCH, READINGS); j++)
      batch.push({
        tenantId: 'bench',
        tag: macs[j % TAGS],
        hub: '356938035643809',
        ts: T0 + Math.floor(j / TAGS) * 60_000,
        // Noisy like real sensors (two decimals): regular values would compress unrealistically well.
        temperature: Math.round((4 + Math.random() * 4) * 100) / 100,
        humidity: Math.round(40 + Math.random() * 20),
        battery: 90 - Math.floor(j / (READINGS / 10)),
        receivedAt: T0 + Math.floor(j / TAGS) * 60_000 + 500,
      });
    await store.write(batch, []);
  }
}

interface Row {
  engine: string;
  readings: number;
  backupS: number;
  /** Until every reading is readable again (InfluxDB: until it loaded the restored shards). */
  restoreS: number;
  archiveBytes: number;
  storeBytes?: number;
  load1Before: number;
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await f();
  return [value, Number(process.hrtime.bigint() - start) / 1e9];
}

async function embedded(): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-backup-'));
  const base = {
    BACKUP_DIR: join(dir, 'archives'),
    BACKUP_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'error',
  };
  const source = loadConfig({ ...base, DATA_DIR: join(dir, 'data') });
  mkdirSync(source.DATA_DIR, { recursive: true });
  const meta = new SqliteDatabase(join(source.DATA_DIR, 'metadata.db'));
  await meta.start();
  await meta.close();
  const store = new SqliteTelemetryStore(join(source.DATA_DIR, 'telemetry.db'));
  await fill(store);
  await store.close();
  const load1Before = loadavg()[0];
  const [backup, backupS] = await timed(() => takeBackup(source, systemClock));
  const target = loadConfig({ ...base, DATA_DIR: join(dir, 'restored') });
  const [, restoreS] = await timed(() => restoreArchive(target, backup.file, { force: false }));
  const row = {
    engine: 'embedded (SQLite)',
    readings: READINGS,
    backupS,
    restoreS,
    archiveBytes: backup.bytes,
    storeBytes: statSync(join(source.DATA_DIR, 'telemetry.db')).size,
    load1Before,
  };
  rmSync(dir, { recursive: true, force: true });
  return row;
}

/** Readings in `db` (InfluxQL COUNT over the temperature field). */
async function count(url: string, db: string): Promise<number> {
  const res = await fetch(`${url}/query`, {
    method: 'POST',
    body: new URLSearchParams({ db, q: 'SELECT COUNT(temperature) FROM /.*/' }),
  });
  const body = (await res.json()) as { results: Array<{ series?: Array<{ values: number[][] }> }> };
  return (body.results[0].series ?? []).reduce((n, s) => n + Number(s.values[0][1]), 0);
}

async function production(): Promise<Row> {
  const db = `bench_backup_${randomBytes(4).toString('hex')}`;
  const url = env('INFLUX_URL', 'http://127.0.0.1:8086');
  const influxQl = async (q: string) => {
    const res = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q }) });
    if (!res.ok) throw new Error(`${q}: ${res.status}`);
  };
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-backup-'));
  const settings = {
    TELEMETRY_STORE: 'influxdb',
    INFLUX_URL: url,
    INFLUX_TOKEN: env('INFLUX_TOKEN', 'dev-token'),
    INFLUX_BUCKET: `${db}/autogen`,
    INFLUX_POSITIONS_BUCKET: `${db}/positions_60d`,
    INFLUX_RPC_ADDRESS: `127.0.0.1:${env('INFLUXD_RPC_PORT', '8188')}`,
    BACKUP_DIR: join(dir, 'archives'),
    BACKUP_KEY: randomBytes(32).toString('hex'),
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'error',
  };
  await influxQl(`CREATE DATABASE "${db}"`);
  await influxQl(`CREATE RETENTION POLICY "positions_60d" ON "${db}" DURATION 60d REPLICATION 1`);
  try {
    const config: ColdchainConfig = loadConfig(settings);
    const store = new InfluxTelemetryStore({
      url,
      token: settings.INFLUX_TOKEN,
      org: 'coldchain',
      bucket: settings.INFLUX_BUCKET,
      positionsBucket: settings.INFLUX_POSITIONS_BUCKET,
    });
    await fill(store);
    await store.close();
    const stored = await count(url, db);
    if (stored !== READINGS) throw new Error(`InfluxDB: ${READINGS} readings written, ${stored} stored`);
    const load1Before = loadavg()[0];
    const [backup, backupS] = await timed(() => takeBackup(config, systemClock));
    await influxQl(`DROP DATABASE "${db}"`);
    const target = loadConfig({ ...settings, DATA_DIR: join(dir, 'restored') });
    const [, restoreS] = await timed(() => restoreArchive(target, backup.file, { force: false }));
    // influxd loads the restored shards after `influxd restore` returned: poll until every reading counts.
    const [restored, visibleS] = await timed(async () => {
      for (let i = 0; i < 600; i++) {
        const n = await count(url, db);
        if (n === stored) return n;
        await new Promise((r) => setTimeout(r, 100));
      }
      return count(url, db);
    });
    if (restored !== stored) throw new Error(`InfluxDB: ${stored} readings stored, ${restored} restored`);
    return {
      engine: 'InfluxDB (+ SQLite metadata)',
      readings: READINGS,
      backupS,
      restoreS: restoreS + visibleS,
      archiveBytes: backup.bytes,
      load1Before,
    };
  } finally {
    await influxQl(`DROP DATABASE "${db}"`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = args.includes('--production-only') ? [] : [await embedded()];
if (args.includes('--production-only')) rows.push(await production());
if (args.includes('--production')) rows.push(await production());
console.log('engine                        readings   backup s  restore s  archive MB  store MB  load1');
for (const r of rows)
  console.log(
    `${r.engine.padEnd(28)} ${String(r.readings).padStart(9)} ${r.backupS.toFixed(1).padStart(10)} ${r.restoreS
      .toFixed(1)
      .padStart(
        10,
      )} ${(r.archiveBytes / 1e6).toFixed(1).padStart(11)} ${r.storeBytes ? (r.storeBytes / 1e6).toFixed(1).padStart(9) : '        -'} ${r.load1Before.toFixed(1).padStart(6)}`,
  );
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/backup.json',
  JSON.stringify({ at: new Date().toISOString(), rows }, null, 2) + '\n',
);

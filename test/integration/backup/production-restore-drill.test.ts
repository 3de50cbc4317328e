import { afterAll, beforeAll, describe } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { ensureInfra, type Endpoints } from '../../support/infra.js';
import { restoreDrill } from './restore-drill.suite.js';

/** influxd's backup/restore RPC as infra/lib/common.sh sets it (INFLUXD_RPC_PORT, loopback). */
const INFLUX_RPC_ADDRESS = `127.0.0.1:${process.env.INFLUXD_RPC_PORT ?? '8188'}`;

const run = randomUUID().slice(0, 8);
/** A schema and an InfluxDB database of this run's own on the shared engines, dropped afterwards. */
const schema = `it_backup_${run}`;
const influxDb = `it_backup_${run}`;
const key = randomBytes(32).toString('hex');
let endpoints: Endpoints;

async function influxQl(q: string): Promise<void> {
  const res = await fetch(`${endpoints.influxUrl}/query`, {
    method: 'POST',
    body: new URLSearchParams({ q }),
  });
  const body = (await res.json()) as { results?: Array<{ error?: string }> };
  const error = body.results?.find((r) => r.error)?.error;
  if (!res.ok || error) throw new Error(`${q}: ${error ?? res.status}`);
}

async function dropSchema(): Promise<void> {
  const client = new pg.Client({ connectionString: endpoints.databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  endpoints = await ensureInfra(['kafka', 'influxdb', 'postgres', 'mosquitto']);
  // As infra/engines/influxdb.sh prepares the coldchain database: readings, and positions kept 60 days.
  await influxQl(`CREATE DATABASE "${influxDb}"`);
  await influxQl(`CREATE RETENTION POLICY "positions_60d" ON "${influxDb}" DURATION 60d REPLICATION 1`);
}, 600_000);

afterAll(async () => {
  if (!endpoints) return;
  await dropSchema();
  await influxQl(`DROP DATABASE "${influxDb}"`);
});

const engines = () => ({
  ...endpoints.env,
  BUS: 'kafka',
  TELEMETRY_STORE: 'influxdb',
  METADATA_STORE: 'postgres',
  DATABASE_SCHEMA: schema,
  INFLUX_BUCKET: `${influxDb}/autogen`,
  INFLUX_POSITIONS_BUCKET: `${influxDb}/positions_60d`,
  INFLUX_RPC_ADDRESS,
  BACKUP_KEY: key,
});

/**
 * The restore drill on the production stack: PostgreSQL (pg_dump), InfluxDB
 * (influxd backup -portable) and the alarm-state changelog on Kafka. The
 * wipe drops this run's schema and InfluxDB database; the restore goes into
 * the same names and a fresh Kafka namespace (a topic cannot be emptied).
 */
describe('restore drill, production stack', () => {
  restoreDrill({
    name: 'production',
    envBefore: () => ({ ...engines(), KAFKA_NAMESPACE: `it-backup-${run}.` }),
    envAfter: () => {
      const { BACKUP_KEY: _unused, ...rest } = engines(); // the restore reads the key from a file
      return { ...rest, KAFKA_NAMESPACE: `it-backup-${run}-restored.` };
    },
    wipe: async () => {
      await dropSchema();
      await influxQl(`DROP DATABASE "${influxDb}"`);
    },
  });
});

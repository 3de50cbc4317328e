import { afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureInfra } from '../../support/infra.js';
import { reportingApiSuite } from './reporting-api.suite.js';

/** Reporting on the production stores: InfluxDB (GROUP BY time) and PostgreSQL from infra/up.sh. */
const schema = `it_${Date.now().toString(36)}${randomBytes(3).toString('hex')}_rep`;
let databaseUrl: string | undefined;

reportingApiSuite('InfluxDB and PostgreSQL', async () => {
  const endpoints = await ensureInfra(['influxdb', 'postgres']);
  databaseUrl = endpoints.databaseUrl;
  return {
    ...endpoints.env,
    TELEMETRY_STORE: 'influxdb',
    METADATA_STORE: 'postgres',
    DATABASE_SCHEMA: schema,
  };
});

afterAll(async () => {
  if (!databaseUrl) return;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

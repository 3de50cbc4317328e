import { afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureInfra } from '../../support/infra.js';
import { tripsApiSuite } from './trips-api.suite.js';

/** Trips with the production metadata store: PostgreSQL from infra/up.sh, in a schema of its own. */
const schema = `it_${Date.now().toString(36)}${randomBytes(3).toString('hex')}_trips_api`;
let databaseUrl: string | undefined;

tripsApiSuite('PostgreSQL', async () => {
  ({ databaseUrl } = await ensureInfra(['postgres']));
  return { METADATA_STORE: 'postgres', DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema };
});

afterAll(async () => {
  if (!databaseUrl) return;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

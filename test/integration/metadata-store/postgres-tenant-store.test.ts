import { afterAll, beforeAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresMetadataStore } from '@coldchain/metadata-store';
import { tenantStoreContract } from '../../contracts/tenant-store.contract.js';
import { ensureInfra } from '../../support/infra.js';

/** The tenant-settings part of the PostgreSQL metadata store against infra/up.sh's PostgreSQL, in a schema of its own. */
const schema = `it_${Date.now().toString(36)}${randomBytes(3).toString('hex')}_tenants`;
let databaseUrl: string;

beforeAll(async () => {
  ({ databaseUrl } = await ensureInfra(['postgres']));
}, 600_000);

afterAll(async () => {
  if (!databaseUrl) return;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

tenantStoreContract('postgres', async () => new PostgresMetadataStore(databaseUrl, { schema }));

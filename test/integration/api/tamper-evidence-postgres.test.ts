import { ensureInfra } from '../../support/infra.js';
import { privateSchema } from '../../support/pg-schema.js';
import { tamperEvidenceSuite } from './tamper-evidence.suite.js';

/** Tamper evidence with the production metadata store: PostgreSQL, in a schema of its own. */
const schema = privateSchema('tamper');

tamperEvidenceSuite('PostgreSQL', async () => {
  const { databaseUrl } = await ensureInfra(['postgres']);
  schema.use(databaseUrl);
  return { METADATA_STORE: 'postgres', DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema.name };
});

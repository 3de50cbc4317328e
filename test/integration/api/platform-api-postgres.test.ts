import { ensureInfra } from '../../support/infra.js';
import { privateSchema } from '../../support/pg-schema.js';
import { platformApiSuite } from './platform-api.suite.js';

/** Tenant administration with the production metadata store: PostgreSQL from infra/up.sh, in a schema of its own. */
const schema = privateSchema('platform');

platformApiSuite('PostgreSQL', async () => {
  const { databaseUrl } = await ensureInfra(['postgres']);
  schema.use(databaseUrl);
  return { METADATA_STORE: 'postgres', DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema.name };
});

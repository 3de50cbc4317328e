import { beforeAll } from '@jest/globals';
import { PostgresMetadataStore } from '@coldchain/metadata-store';
import { tenantStoreContract } from '../../contracts/tenant-store.contract.js';
import { ensureInfra } from '../../support/infra.js';
import { privateSchema } from '../../support/pg-schema.js';

/** The tenant-settings part of the PostgreSQL metadata store against infra/up.sh's PostgreSQL, in a schema of its own. */
const schema = privateSchema('tenants');
let databaseUrl: string;

beforeAll(async () => {
  ({ databaseUrl } = await ensureInfra(['postgres']));
  schema.use(databaseUrl);
}, 600_000);

tenantStoreContract('postgres', async () => new PostgresMetadataStore(databaseUrl, { schema: schema.name }));

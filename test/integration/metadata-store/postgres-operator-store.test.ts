import { beforeAll } from '@jest/globals';
import { PostgresMetadataStore } from '@coldchain/metadata-store';
import { operatorStoreContract } from '../../contracts/operator-store.contract.js';
import { ensureInfra } from '../../support/infra.js';
import { privateSchema } from '../../support/pg-schema.js';

/** The operator part of the PostgreSQL metadata store against infra/up.sh's PostgreSQL, in a schema of its own. */
const schema = privateSchema('operator');
let databaseUrl: string;

beforeAll(async () => {
  ({ databaseUrl } = await ensureInfra(['postgres']));
  schema.use(databaseUrl);
}, 600_000);

operatorStoreContract(
  'postgres',
  async () => new PostgresMetadataStore(databaseUrl, { schema: schema.name }),
);

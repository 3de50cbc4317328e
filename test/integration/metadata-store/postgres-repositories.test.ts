import { beforeAll } from '@jest/globals';
import { PostgresDatabase } from '@coldchain/metadata-store';
import { alertLogRepositoryContract } from '../../contracts/alert-log-repository.contract.js';
import { auditRepositoryContract } from '../../contracts/audit-repository.contract.js';
import { deadLetterRepositoryContract } from '../../contracts/dead-letter-repository.contract.js';
import { hubRepositoryContract } from '../../contracts/hub-repository.contract.js';
import { hubStatusRepositoryContract } from '../../contracts/hub-status-repository.contract.js';
import type { OpenDatabase } from '../../contracts/metadata-fixture.js';
import { profileRepositoryContract } from '../../contracts/profile-repository.contract.js';
import { sessionRepositoryContract } from '../../contracts/session-repository.contract.js';
import { tagRepositoryContract } from '../../contracts/tag-repository.contract.js';
import { tenantRepositoryContract } from '../../contracts/tenant-repository.contract.js';
import { tripRepositoryContract } from '../../contracts/trip-repository.contract.js';
import { userRepositoryContract } from '../../contracts/user-repository.contract.js';
import { ensureInfra } from '../../support/infra.js';
import { privateSchema } from '../../support/pg-schema.js';

/**
 * Every repository's contract on the PostgreSQL adapters, against
 * infra/up.sh's PostgreSQL, each contract in a schema of its own.
 */
let databaseUrl: string;
const schemas: Array<ReturnType<typeof privateSchema>> = [];

beforeAll(async () => {
  ({ databaseUrl } = await ensureInfra(['postgres']));
  for (const schema of schemas) schema.use(databaseUrl);
}, 600_000);

/** Opens handles on a schema of the contract's own. */
function onSchema(suffix: string): OpenDatabase {
  const schema = privateSchema(suffix);
  schemas.push(schema);
  return () => new PostgresDatabase(databaseUrl, { schema: schema.name });
}

tenantRepositoryContract('postgres', onSchema('tenants'));
userRepositoryContract('postgres', onSchema('users'));
sessionRepositoryContract('postgres', onSchema('sessions'));
hubRepositoryContract('postgres', onSchema('hubs'));
tagRepositoryContract('postgres', onSchema('tags'));
profileRepositoryContract('postgres', onSchema('profiles'));
tripRepositoryContract('postgres', onSchema('trips'));
alertLogRepositoryContract('postgres', onSchema('alert_log'));
deadLetterRepositoryContract('postgres', onSchema('dead_letters'));
hubStatusRepositoryContract('postgres', onSchema('hub_status'));
auditRepositoryContract('postgres', onSchema('audit'));

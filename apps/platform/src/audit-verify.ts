import { parseArgs } from 'node:util';
import { createMetadataDatabase, metadataRepositories } from '@coldchain/metadata-store';
import { configOrExit, runMain } from '@coldchain/runtime';

/** Exit codes: 0 the chain is intact, 1 it is broken (or the store failed), 64 bad usage (sysexits EX_USAGE). */
const EXIT = { intact: 0, broken: 1, usage: 64 } as const;

const USAGE = 'usage: npm run audit:verify -- --tenant <tenant id>';

/**
 * Recomputes one tenant's audit trail hash chain in the metadata store the
 * environment names (METADATA_STORE, DATA_DIR or DATABASE_URL), as
 * GET /api/v1/audit/verify does, without the API running. Prints the
 * verdict as one JSON line; exits non-zero on a break (docs/audit-trail.md).
 */
runMain(async () => {
  let tenant: string | undefined;
  try {
    ({
      values: { tenant },
    } = parseArgs({ options: { tenant: { type: 'string' } }, strict: true }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(EXIT.usage);
  }
  if (!tenant) {
    console.error(`--tenant is required\n${USAGE}`);
    process.exit(EXIT.usage);
  }
  const config = configOrExit();
  const database = createMetadataDatabase(config);
  await database.start();
  try {
    const verdict = await metadataRepositories(database).audit.verifyAuditChain(tenant);
    console.log(JSON.stringify({ tenant, ...verdict }));
    process.exitCode = verdict.ok ? EXIT.intact : EXIT.broken;
  } finally {
    await database.close();
  }
});

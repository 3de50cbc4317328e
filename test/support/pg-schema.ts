import { afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A PostgreSQL schema of the test file's own on the shared infra/up.sh
 * server, dropped with everything in it after the file's tests. `use(url)`
 * records the server's URL once known (ensureInfra runs in a hook); the
 * drop is skipped when the tests never got that far.
 */
export function privateSchema(suffix: string): { name: string; use(databaseUrl: string): void } {
  const name = `it_${Date.now().toString(36)}${randomBytes(3).toString('hex')}_${suffix}`;
  let databaseUrl: string | undefined;
  afterAll(async () => {
    if (!databaseUrl) return;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(name)} CASCADE`);
    await admin.end();
  });
  return {
    name,
    use(url) {
      databaseUrl = url;
    },
  };
}

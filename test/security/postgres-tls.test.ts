import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresDatabase, metadataRepositories } from '@coldchain/metadata-store';
import { ensureInfra, stopInfra } from '../support/infra.js';
import { freePort } from '../support/process.js';
import { makeTestPki, type TestPki } from '../support/test-pki.js';

/**
 * The metadata store over TLS to PostgreSQL, as DATABASE_URL asks for it
 * (`sslmode=verify-full&sslrootcert=<CA file>`), against a private cluster
 * this file starts with infra/up.sh (its own COLDCHAIN_INFRA_DIR and port)
 * and then turns to ssl=on with a certificate signed by a CA made here. The
 * cluster refuses TCP without TLS (pg_hba `hostnossl … reject`), so a store
 * that works went over TLS. Stopped and deleted at the end.
 */

const work = mkdtempSync(join(tmpdir(), 'cc-pg-tls-'));
let files: TestPki;
let infraEnv: Record<string, string>;
let databaseUrl: string;
const stores: PostgresDatabase[] = [];

async function store(query: string): Promise<PostgresDatabase> {
  const s = new PostgresDatabase(`${databaseUrl}?${query}`, {
    schema: 'tls_test',
    connectionTimeoutMs: 5000,
  });
  stores.push(s);
  return s;
}

beforeAll(async () => {
  // Reachable by the "postgres" user when the tests run as root (it owns the cluster).
  chmodSync(work, 0o755);
  mkdirSync(join(work, 'certs'), { mode: 0o755 });
  mkdirSync(join(work, 'infra'), { mode: 0o755 });
  files = makeTestPki(join(work, 'certs'));
  // PostgreSQL reads the key as the cluster's owner.
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:', files.key, files.cert]);

  infraEnv = { COLDCHAIN_INFRA_DIR: join(work, 'infra'), PG_PORT: String(await freePort()) };
  ({ databaseUrl } = await ensureInfra(['postgres'], { env: infraEnv }));
  // TLS on, and required for every TCP client: set while stopped, read at the next start.
  await stopInfra(['postgres'], { env: infraEnv });
  const data = join(realpathSync(join(work, 'infra', 'postgres')), 'data');
  appendFileSync(
    join(data, 'postgresql.auto.conf'),
    `ssl = on\nssl_cert_file = '${files.cert}'\nssl_key_file = '${files.key}'\n`,
  );
  const hba = join(data, 'pg_hba.conf');
  writeFileSync(hba, `hostnossl all all all reject\n${readFileSync(hba, 'utf8')}`);
  await ensureInfra(['postgres'], { env: infraEnv });
}, 300_000);

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
  if (infraEnv) await stopInfra(['postgres'], { env: infraEnv });
  rmSync(work, { recursive: true, force: true });
}, 180_000);

describe('metadata store over TLS to PostgreSQL', () => {
  it('is refused by this server without TLS (so the next test can only pass over TLS)', async () => {
    const plain = new pg.Client({ connectionString: `${databaseUrl}?sslmode=disable` });
    await expect(plain.connect()).rejects.toThrow(/no encryption/);
    await plain.end().catch(() => undefined);
  });

  it('connects with sslmode=verify-full and the CA that signed the server certificate', async () => {
    const s = await store(`sslmode=verify-full&sslrootcert=${encodeURIComponent(files.ca)}`);
    await s.start();
    const { tenants } = metadataRepositories(s);
    await tenants.createTenant({ id: 'acme', name: 'Acme' });
    expect(await tenants.isEmpty()).toBe(false);
    expect(s.isHealthy()).toBe(true);

    const check = new pg.Client({
      connectionString: `${databaseUrl}?sslmode=verify-full&sslrootcert=${encodeURIComponent(files.ca)}`,
    });
    await check.connect();
    const { rows } = await check.query<{ tls: number }>(
      `SELECT count(*)::int AS tls FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)
       WHERE application_name = 'coldchain-metadata-store' AND ssl`,
    );
    await check.end();
    expect(rows[0].tls).toBeGreaterThan(0);
  });

  it('refuses a server certificate that the given CA did not sign, with a clear error that retrying cannot fix', async () => {
    const s = await store(`sslmode=verify-full&sslrootcert=${encodeURIComponent(files.otherCa)}`);
    const failure = await s.start().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toMatchObject({ retriable: false, code: 'postgres_tls' });
    expect((failure as Error).message).toMatch(/certificate/i);
    expect((failure as Error).message).toMatch(/sslrootcert/);
    expect(s.isHealthy()).toBe(false);
  });

  it('refuses an sslrootcert that cannot be read, naming the file, before connecting', async () => {
    const missing = join(work, 'certs', 'no-such-ca.pem');
    const s = await store(`sslmode=verify-full&sslrootcert=${encodeURIComponent(missing)}`);
    const failure = await s.start().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toMatchObject({ retriable: false });
    expect((failure as Error).message).toContain(missing);
  });
});

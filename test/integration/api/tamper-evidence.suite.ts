import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { ReportSigner, verifyReport } from '@coldchain/reporting';
import { loginToken, seedUser } from '../../support/api-users.js';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ApiBody = any;

/** Largest verification upload in this suite, bytes: above any report it renders, below the test's oversize upload. */
const VERIFY_MAX_BYTES = 1_500_000;

/**
 * Tamper evidence over HTTP on every metadata engine `env` selects: the
 * hash-chained audit trail (logins, exports, report downloads in it; an
 * edit made straight in the database named by GET /api/v1/audit/verify and
 * by the CLI), and signed PDF reports checked by POST /api/v1/reports/verify.
 */
export function tamperEvidenceSuite(engine: string, env: () => Promise<Record<string, string>>): void {
  describe(`tamper evidence on ${engine}`, () => {
    let platform: RunningPlatform;
    let demoToken: string;
    let mac: string;
    /** A tenant of the suite's own: its chain holds only what this suite does. */
    let owner: { id: string; tenantId: string; email: string; password: string };
    let ownerToken: string;

    const call = async (
      method: string,
      path: string,
      opts: { token?: string; body?: Buffer | string; type?: string } = {},
    ): Promise<{ status: number; body: ApiBody; bytes: Buffer }> => {
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.type) headers['content-type'] = opts.type;
      const res = await fetch(`${platform.httpUrl}${path}`, { method, headers, body: opts.body });
      const bytes = Buffer.from(await res.arrayBuffer());
      let body: unknown;
      try {
        body = JSON.parse(bytes.toString('utf8'));
      } catch {
        body = undefined; // a PDF
      }
      return { status: res.status, body, bytes };
    };
    const verifyPdf = (bytes: Buffer | string | undefined, type = 'application/pdf') =>
      call('POST', '/api/v1/reports/verify', { token: demoToken, body: bytes, type });
    const report = async (): Promise<Buffer> => {
      const to = Date.now();
      const res = await call('GET', `/api/v1/tags/${mac}/report.pdf?from=${to - 3_600_000}&to=${to}`, {
        token: demoToken,
      });
      expect(res.status).toBe(200);
      return res.bytes;
    };
    interface TrailEntry {
      id: number;
      action: string;
      detail: Record<string, unknown>;
    }
    const trail = async (token: string): Promise<TrailEntry[]> => {
      const res = await call('GET', '/api/v1/audit?limit=1000', { token });
      expect(res.status).toBe(200);
      return (res.body as { entries: TrailEntry[] }).entries;
    };

    /** Raw SQL on a second connection of its own, as someone with database access would run it. */
    async function behindTheApi(statements: Array<[string, unknown[]]>): Promise<void> {
      const c = platform.config;
      if (c.METADATA_STORE === 'sqlite') {
        const db = new Database(join(c.DATA_DIR, 'metadata.db'));
        try {
          for (const [sql, params] of statements) db.prepare(sql.replace(/\$\d+/g, '?')).run(...params);
        } finally {
          db.close();
        }
        return;
      }
      const client = new pg.Client({ connectionString: c.DATABASE_URL });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${pg.escapeIdentifier(c.DATABASE_SCHEMA)}`);
        for (const [sql, params] of statements) await client.query(sql, params);
      } finally {
        await client.end();
      }
    }

    /** `npm run audit:verify` against the platform's metadata store, from the sources: exit code and output. */
    function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
      const c = platform.config;
      const child = spawn(
        process.execPath,
        ['--import', './scripts/lib/ts-register.mjs', 'apps/platform/src/audit-verify.ts', ...args],
        {
          env: {
            PATH: process.env.PATH,
            LOG_LEVEL: 'error',
            DATA_DIR: c.DATA_DIR,
            METADATA_STORE: c.METADATA_STORE,
            ...(c.METADATA_STORE === 'postgres'
              ? { DATABASE_URL: c.DATABASE_URL ?? '', DATABASE_SCHEMA: c.DATABASE_SCHEMA }
              : {}),
          },
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
    }

    beforeAll(async () => {
      platform = await startPlatform({ REPORT_VERIFY_MAX_BYTES: String(VERIFY_MAX_BYTES), ...(await env()) });
      const { email, password } = platform.creds.users[0];
      demoToken = await loginToken(platform.httpUrl, email, password);
      mac = platform.creds.tags[0].mac;
      owner = await seedUser(platform, {
        tenantId: `tamper-${Date.now()}`,
        role: 'owner',
        newTenant: 'Tamper Co',
      });
      ownerToken = await loginToken(platform.httpUrl, owner.email, owner.password);
    }, 600_000);

    afterAll(async () => {
      await platform?.close();
    });

    it('records logins, failed ones too, and exports in the tenant’s trail', async () => {
      const failed = await call('POST', '/api/v1/auth/login', {
        body: JSON.stringify({ email: owner.email, password: 'not the password' }),
        type: 'application/json',
      });
      expect(failed.status).toBe(401);
      expect((await call('GET', '/api/v1/export', { token: ownerToken })).status).toBe(200);
      const actions = (await trail(ownerToken)).map((e) => [e.action, e.detail]);
      expect(actions).toEqual([
        ['tenant.export', {}],
        ['auth.login_failed', { clientAddress: expect.any(String), reason: 'credentials' }],
        ['auth.login', { clientAddress: expect.any(String) }],
      ]);
    });

    it('records each report download with the SHA-256 the report carries', async () => {
      const pdf = await report();
      const verdict = await verifyPdf(pdf);
      const [latest] = await trail(demoToken);
      expect(latest).toMatchObject({ action: 'report.download', detail: { sha256: verdict.body.sha256 } });
    });

    it('verifies an untouched report as genuine, over HTTP and offline with the public key', async () => {
      const pdf = await report();
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const verdict = await verifyPdf(pdf);
      expect(verdict).toMatchObject({ status: 200, body: { genuine: true } });
      const key = await call('GET', '/api/v1/reports/public-key'); // no login needed
      expect(key.status).toBe(200);
      expect(key.body).toMatchObject({ algorithm: 'Ed25519', keyId: verdict.body.keyId });
      expect(verifyReport(pdf, createPublicKey(key.body.publicKeyPem as string))).toMatchObject({
        genuine: true,
      });
    });

    it('rejects a report with one byte changed, and one signed with another key', async () => {
      const pdf = await report();
      const changed = Buffer.from(pdf);
      const at = pdf.indexOf('/Title');
      changed[at + 1] = 'X'.charCodeAt(0); // /Title -> /Xitle: one byte, still a PDF
      expect(await verifyPdf(changed)).toMatchObject({
        status: 200,
        body: { genuine: false, reason: expect.stringMatching(/content changed/) },
      });
      // Same bytes as a genuine report, signed by a key that is not the platform's.
      const placeholderOf = (b: Buffer) =>
        Buffer.from(
          b
            .toString('latin1')
            .replace(/coldchain-signature\/v1 [^)]+/, (m) =>
              m.replace(/=[0-9a-f]+/g, (v) => '='.padEnd(v.length, '0')),
            ),
          'latin1',
        );
      const foreign = new ReportSigner('a key that is not the platform’s key').sign(placeholderOf(pdf)).pdf;
      expect(await verifyPdf(foreign)).toMatchObject({
        status: 200,
        body: { genuine: false, reason: expect.stringMatching(/another key/) },
      });
    });

    it('answers 400 for a missing body or one that is not a PDF, and 413 for one too large', async () => {
      const missing = await verifyPdf(undefined);
      expect(missing.status).toBe(400);
      expect(missing.body.message).toMatch(/PDF/);
      const notPdf = await verifyPdf(Buffer.from('just some text, no header'));
      expect(notPdf.status).toBe(400);
      expect(notPdf.body.message).toMatch(/not a PDF/);
      const asJson = await verifyPdf('{"pdf":"no"}', 'application/json');
      expect(asJson.status).toBe(400);
      const tooLarge = await verifyPdf(
        Buffer.concat([Buffer.from('%PDF-1.3\n'), Buffer.alloc(VERIFY_MAX_BYTES)]),
      );
      expect(tooLarge.status).toBe(413);
      // The upload refused, the API still answers.
      expect((await verifyPdf(await report())).body.genuine).toBe(true);
    });

    it('names the audit row edited straight in the database, over HTTP and in the CLI', async () => {
      const intact = await call('GET', '/api/v1/audit/verify', { token: ownerToken });
      expect(intact).toMatchObject({ status: 200, body: { ok: true } });
      expect(intact.body.entries).toBeGreaterThanOrEqual(3);
      const ok = await cli(['--tenant', owner.tenantId]);
      expect([ok.code, JSON.parse(ok.out)]).toEqual([0, { tenant: owner.tenantId, ...intact.body }]);

      // The normal connection refuses the edit; a second one without the trigger makes it.
      const entries = await trail(ownerToken);
      const victim = entries[entries.length - 2]; // the failed login: rewritten as a harmless one
      const update: [string, unknown[]] = [
        `UPDATE audit_log SET action = 'auth.login' WHERE id = $1`,
        [victim.id],
      ];
      // By message, not rejects.toThrow: better-sqlite3 builds its errors with the SqliteError class of
      // the first test file that loaded it, which later files of one jest worker do not see as an Error.
      expect(
        await behindTheApi([update]).then(
          () => 'not refused',
          (err: unknown) => String((err as { message?: unknown }).message),
        ),
      ).toMatch(/append-only/);
      const sqlite = platform.config.METADATA_STORE === 'sqlite';
      await behindTheApi([
        [sqlite ? 'DROP TRIGGER audit_log_no_update' : 'DROP TRIGGER audit_log_no_change ON audit_log', []],
        update,
        [
          sqlite
            ? "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            : 'CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()',
          [],
        ],
      ]);

      const broken = await call('GET', '/api/v1/audit/verify', { token: ownerToken });
      expect(broken).toMatchObject({
        status: 200,
        body: { ok: false, firstBrokenId: victim.id, reason: expect.stringMatching(/entry was changed/) },
      });
      const cliBroken = await cli(['--tenant', owner.tenantId]);
      expect(cliBroken.code).toBe(1);
      expect(JSON.parse(cliBroken.out)).toMatchObject({ ok: false, firstBrokenId: victim.id });
      // Another tenant's chain is untouched.
      expect((await call('GET', '/api/v1/audit/verify', { token: demoToken })).body.ok).toBe(true);
    });

    it('keeps chain verification to owners, and the CLI explains its usage', async () => {
      const viewer = await seedUser(platform, { tenantId: owner.tenantId, role: 'viewer' });
      const token = await loginToken(platform.httpUrl, viewer.email, viewer.password);
      expect((await call('GET', '/api/v1/audit/verify', { token })).status).toBe(403);
      expect((await call('GET', '/api/v1/audit/verify')).status).toBe(401);
      const usage = await cli([]);
      expect(usage.code).toBe(64);
      expect(usage.err).toMatch(/--tenant is required/);
    });
  });
}

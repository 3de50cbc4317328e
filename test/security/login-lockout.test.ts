import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DEMO_TENANT } from '../../apps/platform/src/demo-tenant.js';
import { seedUser } from '../support/api-users.js';
import { ensureInfra } from '../support/infra.js';
import { privateSchema } from '../support/pg-schema.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';

/**
 * Attack: a burst of parallel password guesses for one email. The lockout
 * used to be checked before the slow password hash and counted after it, so
 * every guess of the burst was verified and a right one among them logged
 * in (and cleared the count). Now an attempt is counted in the store before
 * its password is verified: the burst gets LOGIN_MAX_FAILURES verifications
 * at most, the right password is refused with the rest, and the email stays
 * locked. Replayed over HTTP against the embedded platform, on SQLite, on
 * PostgreSQL, and on two API processes sharing one PostgreSQL schema (the
 * burst split between them).
 */

const MAX_FAILURES = 5;
const GUESSES = 20;
const VERIFIED = ['accepted', 'rejected', 'refused'] as const;

/** `coldchain_login_attempts_total` of one platform, by outcome. */
async function loginAttempts(platform: RunningPlatform): Promise<Record<string, number>> {
  const text = await (await fetch(`${platform.httpUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/^coldchain_login_attempts_total\{outcome="(\w+)"\} (\d+)$/gm))
    counts[m[1]] = Number(m[2]);
  return counts;
}

/** Password verifications (accepted + rejected + refused) between two readings of the counters. */
function verifiedBetween(before: Record<string, number>, after: Record<string, number>): number {
  return VERIFIED.reduce((n, o) => n + (after[o] ?? 0) - (before[o] ?? 0), 0);
}

async function login(
  httpUrl: string,
  email: string,
  password: string,
): Promise<{ status: number; error?: string }> {
  const res = await fetch(`${httpUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { error?: string };
  return { status: res.status, error: body.error };
}

function lockoutSuite(store: string, platforms: () => Promise<RunningPlatform[]>): void {
  describe(`login lockout under a burst of parallel guesses: ${store}`, () => {
    let running: RunningPlatform[] = [];

    beforeAll(async () => {
      running = await platforms();
    });
    afterAll(async () => {
      for (const p of running.reverse()) await p.close();
    });

    it('verifies at most LOGIN_MAX_FAILURES passwords, refuses the right one among them, and stays locked', async () => {
      const [first] = running;
      const victim = await seedUser(first, { tenantId: DEMO_TENANT.id, role: 'operator' });
      const colleague = await seedUser(first, { tenantId: DEMO_TENANT.id, role: 'viewer' });
      const guesses = Array.from(
        { length: GUESSES },
        (_, i) => `guess ${i} ${randomBytes(4).toString('hex')}`,
      );
      guesses.splice(2, 0, victim.password); // early in the burst: among the attempts that get verified
      const before = await Promise.all(running.map(loginAttempts));

      const answers = await Promise.all(
        guesses.map((g, i) => login(running[i % running.length].httpUrl, victim.email, g)),
      );

      expect(answers[2]).toEqual({ status: 429, error: 'too_many_attempts' });
      expect(answers.filter((a) => a.status === 200)).toEqual([]);
      expect(answers.filter((a) => a.status !== 401 && a.status !== 429)).toEqual([]);
      const after = await Promise.all(running.map(loginAttempts));
      const verified = running.reduce((n, _, i) => n + verifiedBetween(before[i], after[i]), 0);
      expect(verified).toBeGreaterThan(0);
      expect(verified).toBeLessThanOrEqual(MAX_FAILURES);
      expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(MAX_FAILURES);

      for (const p of running)
        expect(await login(p.httpUrl, victim.email, victim.password)).toEqual({
          status: 429,
          error: 'too_many_attempts',
        });
      // The lock is per email: another user of the tenant logs in as usual.
      expect((await login(first.httpUrl, colleague.email, colleague.password)).status).toBe(200);
    });
  });
}

/** The platform's env for PostgreSQL in the file's own schema. */
const schema = privateSchema('lockout');
async function postgresEnv(): Promise<Record<string, string>> {
  const { databaseUrl } = await ensureInfra(['postgres']);
  schema.use(databaseUrl);
  return { METADATA_STORE: 'postgres', DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema.name };
}
const sharedSchema = privateSchema('lockout2');
async function sharedPostgresEnv(): Promise<Record<string, string>> {
  const { databaseUrl } = await ensureInfra(['postgres']);
  sharedSchema.use(databaseUrl);
  return { METADATA_STORE: 'postgres', DATABASE_URL: databaseUrl, DATABASE_SCHEMA: sharedSchema.name };
}

const env = { LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_RATE_PER_MINUTE: '100000' };

lockoutSuite('SQLite', async () => [await startPlatform(env)]);
lockoutSuite('PostgreSQL', async () => [await startPlatform({ ...env, ...(await postgresEnv()) })]);
lockoutSuite('two API processes on one PostgreSQL', async () => {
  const shared = { ...env, ...(await sharedPostgresEnv()) };
  const first = await startPlatform(shared);
  return [first, await startPlatform(shared)];
});

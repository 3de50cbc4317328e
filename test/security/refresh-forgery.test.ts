import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_TENANT } from '../../apps/platform/src/demo-tenant.js';
import { seedUser } from '../support/api-users.js';
import { ensureInfra } from '../support/infra.js';
import { privateSchema } from '../support/pg-schema.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';

/**
 * Attack: a refresh token is `<session id>.<secret>`, and the session id is
 * no secret (every access token carries it as `sid`). Posting
 * `<victim's sid>.garbage` to /auth/refresh used to count as reuse of a spent
 * token and end the victim's session: anyone who saw an access token could
 * log its owner out. Now only the token the last rotation really spent
 * proves reuse; anything else is a plain 401 and the session lives on. The
 * reuse detection itself (OAuth 2.0 Security BCP, RFC 9700 §4.14.2) still
 * ends the session when a spent token comes back.
 */

interface Pair {
  accessToken: string;
  refreshToken: string;
}

async function post(
  httpUrl: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: Partial<Pair> & { error?: string; reason?: string } }> {
  const res = await fetch(`${httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Partial<Pair> & { error?: string } };
}

async function me(httpUrl: string, accessToken: string): Promise<number> {
  return (await fetch(`${httpUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } }))
    .status;
}

/** The `sid` claim of an access token, read as an attacker would: base64url JSON, no key needed. */
function sessionIdOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as {
    sid: string;
  };
  return payload.sid;
}

function forgerySuite(store: string, env: () => Promise<Record<string, string>>): void {
  describe(`refresh token forged from a session id: ${store}`, () => {
    let platform: RunningPlatform;

    beforeAll(async () => {
      platform = await startPlatform({ LOGIN_RATE_PER_MINUTE: '100000', ...(await env()) });
    });
    afterAll(async () => {
      await platform.close();
    });

    async function victimSession(): Promise<Pair> {
      const victim = await seedUser(platform, { tenantId: DEMO_TENANT.id, role: 'viewer' });
      const res = await post(platform.httpUrl, '/api/v1/auth/login', {
        email: victim.email,
        password: victim.password,
      });
      expect(res.status).toBe(200);
      return res.body as Pair;
    }

    it('answers <sid>.garbage with 401 and leaves the victim’s session working and refreshable', async () => {
      const victim = await victimSession();
      const sid = sessionIdOf(victim.accessToken);
      for (const forged of [`${sid}.garbage`, `${sid}.`, `${sid}.${'A'.repeat(43)}`]) {
        const res = await post(platform.httpUrl, '/api/v1/auth/refresh', { refreshToken: forged });
        expect([forged, res.status, res.body.reason]).toEqual([forged, 401, 'token']);
      }
      expect(await me(platform.httpUrl, victim.accessToken)).toBe(200);
      const renewed = await post(platform.httpUrl, '/api/v1/auth/refresh', {
        refreshToken: victim.refreshToken,
      });
      expect(renewed.status).toBe(200);
      expect(await me(platform.httpUrl, renewed.body.accessToken!)).toBe(200);
    });

    it('still ends the session when a really spent refresh token is presented again', async () => {
      const victim = await victimSession();
      const renewed = await post(platform.httpUrl, '/api/v1/auth/refresh', {
        refreshToken: victim.refreshToken,
      });
      expect(renewed.status).toBe(200);
      const replay = await post(platform.httpUrl, '/api/v1/auth/refresh', {
        refreshToken: victim.refreshToken,
      });
      expect(replay.status).toBe(401);
      expect(replay.body.reason).toBe('refresh_reuse');
      expect(await me(platform.httpUrl, renewed.body.accessToken!)).toBe(401);
      const next = await post(platform.httpUrl, '/api/v1/auth/refresh', {
        refreshToken: renewed.body.refreshToken,
      });
      expect(next.status).toBe(401);
    });

    it('refuses malformed refresh bodies with 400 and breaks nothing', async () => {
      const victim = await victimSession();
      for (const body of [{}, { refreshToken: '' }, { refreshToken: 42 }])
        expect((await post(platform.httpUrl, '/api/v1/auth/refresh', body)).status).toBe(400);
      expect(await me(platform.httpUrl, victim.accessToken)).toBe(200);
    });
  });
}

const schema = privateSchema('refresh');

forgerySuite('SQLite', async () => ({}));
forgerySuite('PostgreSQL', async () => {
  const { databaseUrl } = await ensureInfra(['postgres']);
  schema.use(databaseUrl);
  return { METADATA_STORE: 'postgres', DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema.name };
});

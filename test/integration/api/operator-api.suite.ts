import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { imeiFromBody } from '@coldchain/contract';
import { hashPassword } from '@coldchain/metadata-store';
import { AuthRecordsPurge } from '@coldchain/http-api';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';
import { ShiftedClock } from '../../support/shifted-clock.js';
import { repositoriesOf } from '../../support/metadata.js';

const MINUTE = 60_000;

/** Any JSON the API answers: the cases check it with expect(), field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ApiBody = any;

interface AuditEntryBody {
  action: string;
  actorEmail: string;
  detail: { version?: number };
}

interface Res {
  status: number;
  body: ApiBody;
  headers: Headers;
}

/**
 * The operator API end to end over HTTP (and MQTT for hub secrets), the same
 * cases on every metadata engine: `env` selects it (METADATA_STORE=postgres
 * with its DATABASE_URL and a schema of its own, or the SQLite default).
 * Time-dependent cases move a shifted clock instead of sleeping.
 */
export function operatorApiSuite(engine: string, env: () => Promise<Record<string, string>>): void {
  describe(`operator API on ${engine}`, () => {
    let platform: RunningPlatform;
    const clock = new ShiftedClock();
    const clients: MqttClient[] = [];
    let owner: string; // access token of the demo tenant's owner
    let ownerEmail: string;
    let ownerPassword: string;

    /** Tenant B, created beside the demo tenant: its objects must be invisible from the demo tenant. */
    const other = {
      tenantId: `other-${randomUUID()}`,
      email: `owner-${randomUUID()}@other.test`,
      password: 'other tenant password',
      token: '',
      imei: imeiFromBody('35' + String(Date.now()).slice(-10) + '77'),
      mac: ['C0', 'FF', 'EE', ...(randomBytes(3).toString('hex').toUpperCase().match(/../g) ?? [])].join(':'),
      profileId: '',
      userId: '',
    };

    async function call(
      method: string,
      path: string,
      opts: { token?: string; body?: unknown } = {},
    ): Promise<Res> {
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${platform.httpUrl}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // HTML (/docs) stays text
      }
      return { status: res.status, body, headers: res.headers };
    }

    async function login(email: string, password: string): Promise<Res> {
      return call('POST', '/api/v1/auth/login', { body: { email, password } });
    }

    /** Creates a user through the API and completes its first login (password change); returns its token. */
    async function userWithRole(
      role: 'owner' | 'operator' | 'viewer',
    ): Promise<{ id: string; token: string }> {
      const email = `${role}-${randomUUID()}@demo.test`;
      const created = await call('POST', '/api/v1/users', { token: owner, body: { email, role } });
      expect(created.status).toBe(201);
      const first = await login(email, created.body.temporaryPassword);
      const changed = await call('POST', '/api/v1/auth/change-password', {
        token: first.body.accessToken,
        body: { currentPassword: created.body.temporaryPassword, newPassword: 'a new long password' },
      });
      expect(changed.status).toBe(204);
      return { id: created.body.user.id, token: first.body.accessToken };
    }

    beforeAll(async () => {
      // The suite logs in a hundred times a minute from one address: the address throttle has its unit test.
      platform = await startPlatform(
        { LOGIN_MAX_FAILURES: '3', LOGIN_RATE_PER_MINUTE: '100000', ...(await env()) },
        { clock },
      );
      ({ email: ownerEmail, password: ownerPassword } = platform.creds.users[0]);
      owner = (await login(ownerEmail, ownerPassword)).body.accessToken;
      const store = repositoriesOf(platform.app);
      await store.tenants.createTenant({ id: other.tenantId, name: 'Other Co' });
      await store.users.createUser({
        id: randomUUID(),
        tenantId: other.tenantId,
        email: other.email,
        role: 'owner',
        passwordHash: await hashPassword(other.password),
        mustChangePassword: false,
      });
      other.token = (await login(other.email, other.password)).body.accessToken;
      expect(
        (
          await call('POST', '/api/v1/hubs', {
            token: other.token,
            body: { imei: other.imei, name: 'B hub' },
          })
        ).status,
      ).toBe(201);
      const profile = await call('POST', '/api/v1/profiles', {
        token: other.token,
        body: { name: 'B profile', temperature: { min: 2, max: 8 } },
      });
      other.profileId = profile.body.id;
      expect(
        (
          await call('POST', '/api/v1/tags', {
            token: other.token,
            body: { mac: other.mac, name: 'B tag', profileId: other.profileId },
          })
        ).status,
      ).toBe(201);
      const user = await call('POST', '/api/v1/users', {
        token: other.token,
        body: { email: `u-${randomUUID()}@other.test`, role: 'viewer' },
      });
      other.userId = user.body.user.id;
    }, 120_000);

    // Cases move the clock by minutes: every case starts with fresh sessions.
    beforeEach(async () => {
      owner = (await login(ownerEmail, ownerPassword)).body.accessToken;
      other.token = (await login(other.email, other.password)).body.accessToken;
    });

    afterAll(async () => {
      for (const c of clients) await c.endAsync(true).catch(() => undefined);
      await platform?.close();
    });

    describe('authentication', () => {
      it('logs in with email and password and names the caller', async () => {
        const res = await login(ownerEmail.toUpperCase(), ownerPassword);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ expiresIn: 300, mustChangePassword: false });
        const me = await call('GET', '/api/v1/auth/me', { token: res.body.accessToken });
        expect(me.body).toMatchObject({ tenantId: 'demo', email: ownerEmail, role: 'owner' });
      });

      it('answers 401 alike for a wrong password and an unknown email, and without a token', async () => {
        const wrong = await login(ownerEmail, 'wrong password');
        const unknown = await login(`nobody-${randomUUID()}@demo.test`, 'whatever');
        for (const res of [wrong, unknown]) {
          expect(res.status).toBe(401);
          expect(res.body).toMatchObject({
            error: 'unauthorized',
            reason: 'credentials',
            message: 'invalid email or password',
          });
        }
        const anonymous = await call('GET', '/api/v1/hubs');
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
        expect((await call('GET', '/api/v1/hubs', { token: 'forged.token.value' })).status).toBe(401);
      });

      it('rotates the refresh token: the old one is refused and ends the session', async () => {
        const first = (await login(ownerEmail, ownerPassword)).body;
        const second = await call('POST', '/api/v1/auth/refresh', {
          body: { refreshToken: first.refreshToken },
        });
        expect(second.status).toBe(200);
        expect(second.body.refreshToken).not.toBe(first.refreshToken);
        expect((await call('GET', '/api/v1/auth/me', { token: second.body.accessToken })).status).toBe(200);
        const replay = await call('POST', '/api/v1/auth/refresh', {
          body: { refreshToken: first.refreshToken },
        });
        expect(replay.status).toBe(401);
        expect(replay.body.reason).toBe('refresh_reuse');
        expect((await call('GET', '/api/v1/auth/me', { token: second.body.accessToken })).status).toBe(401);
      });

      it('logs out: the access and refresh tokens stop working at once', async () => {
        const pair = (await login(ownerEmail, ownerPassword)).body;
        expect((await call('POST', '/api/v1/auth/logout', { token: pair.accessToken })).status).toBe(204);
        const after = await call('GET', '/api/v1/auth/me', { token: pair.accessToken });
        expect(after.status).toBe(401);
        expect(after.body.reason).toBe('session_revoked');
        expect(
          (await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: pair.refreshToken } })).status,
        ).toBe(401);
      });

      it('logs out after SESSION_IDLE_MINUTES without requests; requests keep the session alive, refreshes do not', async () => {
        let pair = (await login(ownerEmail, ownerPassword)).body;
        for (let i = 0; i < 3; i++) {
          clock.advance(4 * MINUTE);
          pair = (await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: pair.refreshToken } }))
            .body;
          expect((await call('GET', '/api/v1/auth/me', { token: pair.accessToken })).status).toBe(200);
        }
        clock.advance(16 * MINUTE); // 28 min after login, 16 after the last request
        pair = (await call('POST', '/api/v1/auth/refresh', { body: { refreshToken: pair.refreshToken } }))
          .body;
        clock.advance(4 * MINUTE + 1000); // 20 min after the last request; the refresh did not count
        const idle = await call('POST', '/api/v1/auth/refresh', {
          body: { refreshToken: pair.refreshToken },
        });
        expect(idle.status).toBe(401);
        expect(idle.body.reason).toBe('session_idle');
        expect((await call('GET', '/api/v1/auth/me', { token: pair.accessToken })).status).toBe(401);
      });

      it('makes a new user change the temporary password before anything else', async () => {
        const email = `new-${randomUUID()}@demo.test`;
        const created = await call('POST', '/api/v1/users', {
          token: owner,
          body: { email, role: 'operator' },
        });
        expect(created.status).toBe(201);
        expect(created.body.user).toMatchObject({ email, role: 'operator', mustChangePassword: true });
        const pair = (await login(email, created.body.temporaryPassword)).body;
        expect(pair.mustChangePassword).toBe(true);
        const refused = await call('GET', '/api/v1/hubs', { token: pair.accessToken });
        expect(refused.status).toBe(403);
        expect(refused.body.error).toBe('password_change_required');
        expect(
          (await call('GET', '/api/v1/auth/me', { token: pair.accessToken })).body.mustChangePassword,
        ).toBe(true);
        const tooShort = await call('POST', '/api/v1/auth/change-password', {
          token: pair.accessToken,
          body: { currentPassword: created.body.temporaryPassword, newPassword: 'short' },
        });
        expect(tooShort.status).toBe(400);
        expect(tooShort.body.problems).toEqual(['newPassword: at least 12 characters']);
        const changed = await call('POST', '/api/v1/auth/change-password', {
          token: pair.accessToken,
          body: { currentPassword: created.body.temporaryPassword, newPassword: 'operator chosen password' },
        });
        expect(changed.status).toBe(204);
        expect((await call('GET', '/api/v1/hubs', { token: pair.accessToken })).status).toBe(200);
        expect((await login(email, 'operator chosen password')).body.mustChangePassword).toBe(false);
      });

      it('locks an email after LOGIN_MAX_FAILURES failures (429 with Retry-After) until the lockout ends', async () => {
        const email = `locked-${randomUUID()}@demo.test`;
        const created = await call('POST', '/api/v1/users', {
          token: owner,
          body: { email, role: 'viewer' },
        });
        expect((await login(email, 'wrong 1')).status).toBe(401);
        expect((await login(email, 'wrong 2')).status).toBe(401);
        const third = await login(email, 'wrong 3');
        expect(third.status).toBe(429);
        expect(third.body.error).toBe('too_many_attempts');
        expect(third.headers.get('retry-after')).toBe(String(15 * 60));
        expect((await login(email, created.body.temporaryPassword)).status).toBe(429);
        clock.advance(15 * MINUTE);
        expect((await login(email, created.body.temporaryPassword)).status).toBe(200);
      });
    });

    describe('roles', () => {
      it('lets a viewer read but not write, and only owners manage users', async () => {
        const viewer = await userWithRole('viewer');
        const operator = await userWithRole('operator');
        expect((await call('GET', '/api/v1/hubs', { token: viewer.token })).status).toBe(200);
        expect((await call('GET', '/api/v1/profiles', { token: viewer.token })).status).toBe(200);
        const writes: Array<[string, string, unknown]> = [
          ['POST', '/api/v1/hubs', { imei: imeiFromBody('35693803111111'), name: 'x' }],
          ['POST', '/api/v1/tags', { mac: 'C0:FF:EE:00:00:99', name: 'x' }],
          ['POST', '/api/v1/profiles', { name: 'x', temperature: { min: 0, max: 1 } }],
          ['PUT', '/api/v1/profiles/demo-vaccines', { name: 'x', temperature: { min: 0, max: 1 } }],
          ['PATCH', `/api/v1/tags/${platform.creds.tags[0].mac}`, { name: 'x' }],
          ['POST', `/api/v1/hubs/${platform.creds.hubs[0].imei}/secret`, undefined],
          ['GET', '/api/v1/users', undefined],
          ['GET', '/api/v1/audit', undefined],
        ];
        for (const [method, path, body] of writes) {
          const res = await call(method, path, { token: viewer.token, body });
          expect([method, path, res.status, res.body.error]).toEqual([method, path, 403, 'forbidden']);
        }
        const ownerOnly: Array<[string, string, unknown]> = [
          ['GET', '/api/v1/users', undefined],
          ['POST', '/api/v1/users', { email: `x-${randomUUID()}@demo.test`, role: 'viewer' }],
          ['PATCH', `/api/v1/users/${viewer.id}`, { role: 'owner' }],
        ];
        for (const [method, path, body] of ownerOnly)
          expect((await call(method, path, { token: operator.token, body })).status).toBe(403);
        expect((await call('GET', '/api/v1/audit', { token: operator.token })).status).toBe(200);
      });

      it('applies a role change at the next request and ends a disabled user’s sessions', async () => {
        const user = await userWithRole('viewer');
        expect(
          (await call('PATCH', `/api/v1/users/${user.id}`, { token: owner, body: { role: 'operator' } }))
            .status,
        ).toBe(200);
        expect((await call('GET', '/api/v1/audit', { token: user.token })).status).toBe(200);
        expect(
          (await call('PATCH', `/api/v1/users/${user.id}`, { token: owner, body: { disabled: true } })).body
            .disabled,
        ).toBe(true);
        expect((await call('GET', '/api/v1/hubs', { token: user.token })).status).toBe(401);
      });
    });

    describe('tenant isolation', () => {
      /** Every route taking an object id, called by the demo tenant's owner with tenant B's object: 404 each. */
      const routes = (): Array<[string, string, unknown?]> => [
        ['GET', `/api/v1/hubs/${other.imei}`],
        ['POST', `/api/v1/hubs/${other.imei}/secret`],
        ['GET', `/api/v1/hubs/${other.imei}/history`],
        ['GET', `/api/v1/tags/${other.mac}`],
        ['GET', `/api/v1/tags/${other.mac.toLowerCase().replace(/:/g, '-')}`],
        ['PATCH', `/api/v1/tags/${other.mac}`, { name: 'stolen' }],
        ['GET', `/api/v1/tags/${other.mac}/history`],
        ['GET', `/api/v1/tags/${other.mac}/readings`],
        ['GET', `/api/v1/profiles/${other.profileId}`],
        ['PUT', `/api/v1/profiles/${other.profileId}`, { name: 'stolen', temperature: { min: 0, max: 1 } }],
        ['GET', `/api/v1/profiles/${other.profileId}/history`],
        ['GET', `/api/v1/users/${other.userId}`],
        ['PATCH', `/api/v1/users/${other.userId}`, { role: 'owner' }],
        ['POST', `/api/v1/users/${other.userId}/reset-password`],
        ['GET', `/api/v1/users/${other.userId}/history`],
      ];

      it('answers 404 on every route given another tenant’s object, exactly as for a missing one', async () => {
        for (const [method, path, body] of routes()) {
          const res = await call(method, path, { token: owner, body });
          expect([method, path, res.status, res.body.error]).toEqual([method, path, 404, 'not_found']);
        }
        const missing = await call('GET', '/api/v1/hubs/490154203237518', { token: owner });
        expect(missing.status).toBe(404);
      });

      it('leaves the other tenant’s objects untouched and out of every list', async () => {
        for (const [path, key] of [
          ['/api/v1/hubs', 'hubs'],
          ['/api/v1/tags', 'tags'],
          ['/api/v1/profiles', 'profiles'],
          ['/api/v1/users', 'users'],
          ['/api/v1/audit', 'entries'],
        ]) {
          const res = await call('GET', path, { token: owner });
          expect(res.status).toBe(200);
          expect(JSON.stringify(res.body[key])).not.toMatch(
            new RegExp(`${other.tenantId}|${other.imei}|${other.mac}|${other.profileId}|${other.userId}`),
          );
        }
        const tag = await call('GET', `/api/v1/tags/${other.mac}`, { token: other.token });
        expect(tag.body).toMatchObject({ name: 'B tag', profileId: other.profileId });
        const profile = await call('GET', `/api/v1/profiles/${other.profileId}`, { token: other.token });
        expect(profile.body).toMatchObject({ name: 'B profile', version: 1 });
        const user = await call('GET', `/api/v1/users/${other.userId}`, { token: other.token });
        expect(user.body).toMatchObject({ role: 'viewer', disabled: false });
      });

      it('treats ids carrying SQL as plain unknown ids (404), leaving every table intact', async () => {
        const hostile = ["' OR '1'='1", "x'; DROP TABLE hubs; --", '%', '_', '"; SELECT 1; --'];
        for (const id of hostile)
          for (const path of [
            `/api/v1/hubs/${id}`,
            `/api/v1/profiles/${id}`,
            `/api/v1/users/${id}`,
            `/api/v1/tags/${id}`,
          ])
            expect([
              path,
              (await call('GET', encodeURI(path).replace(/#/g, '%23'), { token: owner })).status,
            ]).toEqual([path, 404]);
        const hubs = await call('GET', '/api/v1/hubs', { token: owner });
        expect(hubs.body.hubs.length).toBeGreaterThanOrEqual(platform.creds.hubs.length);
      });

      it('refuses a profile of another tenant in a tag assignment like an unknown one (400)', async () => {
        const res = await call('PATCH', `/api/v1/tags/${platform.creds.tags[0].mac}`, {
          token: owner,
          body: { profileId: other.profileId },
        });
        expect(res.status).toBe(400);
        expect(res.body.problems).toEqual([`profileId: no profile "${other.profileId}"`]);
      });
    });

    describe('resources', () => {
      it('refuses bad input with 400 naming every field at fault', async () => {
        const cases: Array<[string, string, unknown, unknown[]]> = [
          [
            'POST',
            '/api/v1/auth/login',
            { email: ownerEmail },
            ['password: Invalid input: expected string, received undefined'],
          ],
          [
            'POST',
            '/api/v1/hubs',
            { imei: '490154203237519', name: 'Bad Luhn' },
            ['imei: expected 15 digits whose last is the Luhn check digit'],
          ],
          [
            'POST',
            '/api/v1/hubs',
            { imei: '12ab', name: '' },
            ['imei: expected 15 digits', 'name: must not be empty'],
          ],
          [
            'POST',
            '/api/v1/tags',
            { mac: 'not-a-mac', name: 'x' },
            [expect.stringContaining('mac: expected a MAC address')],
          ],
          [
            'POST',
            '/api/v1/tags',
            { mac: 'AA:BB:CC:DD:EE:01', name: 'x', colour: 'red' },
            [expect.stringContaining('colour')],
          ],
          [
            'POST',
            '/api/v1/profiles',
            { name: 'Inverted', temperature: { min: 9, max: 2 } },
            [expect.stringContaining('temperature.min (9)')],
          ],
          [
            'POST',
            '/api/v1/users',
            { email: 'not-an-email', role: 'king' },
            [expect.stringContaining('email:'), expect.stringContaining('role:')],
          ],
          ['PATCH', `/api/v1/users/${randomUUID()}`, {}, [expect.stringContaining('give role or disabled')]],
          ['GET', '/api/v1/audit?limit=0', undefined, [expect.stringContaining('limit:')]],
        ];
        for (const [method, path, body, problems] of cases) {
          const res = await call(method, path, { token: owner, body });
          expect([path, res.status, res.body.error]).toEqual([path, 400, 'invalid_input']);
          expect(res.body.problems).toEqual(problems);
        }
      });

      it('refuses a profile whose alarm rules contradict themselves, listing each problem', async () => {
        const res = await call('POST', '/api/v1/profiles', {
          token: owner,
          body: {
            name: 'Bad rules',
            temperature: { min: 2, max: 8 },
            rules: { humdity: {}, temperature: { high: { warning: { bound: 12 }, critical: { bound: 8 } } } },
          },
        });
        expect(res.status).toBe(400);
        expect(res.body.problems).toEqual(
          expect.arrayContaining([
            expect.stringContaining('rules.humdity'),
            expect.stringContaining('rules.temperature.high'),
          ]),
        );
      });

      it('registers a tag in any MAC spelling, assigns a versioned profile, and keeps every change in the audit trail', async () => {
        const created = await call('POST', '/api/v1/profiles', {
          token: owner,
          body: { name: 'Insulin 2–8 °C', temperature: { min: 2, max: 8 } },
        });
        expect(created.status).toBe(201);
        expect(created.body.version).toBe(1);
        const updated = await call('PUT', `/api/v1/profiles/${created.body.id}`, {
          token: owner,
          body: { name: 'Insulin 2–8 °C', temperature: { min: 2, max: 7.5 } },
        });
        expect(updated.body).toMatchObject({ version: 2, temperature: { min: 2, max: 7.5 } });
        const hex = randomBytes(3).toString('hex');
        const tag = await call('POST', '/api/v1/tags', {
          token: owner,
          body: {
            mac: `c0ff.ee${hex.slice(0, 2)}.${hex.slice(2)}`,
            name: 'Cooler 1',
          },
        });
        expect(tag.status).toBe(201);
        expect(tag.body.mac).toMatch(/^C0:FF:EE:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}$/);
        const assigned = await call('PATCH', `/api/v1/tags/${tag.body.mac.toLowerCase()}`, {
          token: owner,
          body: { profileId: created.body.id },
        });
        expect(assigned.body.profileId).toBe(created.body.id);
        const again = await call('POST', '/api/v1/tags', {
          token: owner,
          body: { mac: tag.body.mac, name: 'dup' },
        });
        expect(again.status).toBe(409);
        const history = await call('GET', `/api/v1/profiles/${created.body.id}/history`, { token: owner });
        expect(
          history.body.entries.map((e: AuditEntryBody) => [e.action, e.actorEmail, e.detail.version]),
        ).toEqual([
          ['profile.update', ownerEmail, 2],
          ['profile.create', ownerEmail, 1],
        ]);
        const tagHistory = await call('GET', `/api/v1/tags/${tag.body.mac}/history`, { token: owner });
        expect(tagHistory.body.entries.map((e: AuditEntryBody) => e.action)).toEqual([
          'tag.update',
          'tag.create',
        ]);
      });

      it('serves the readings routes with a Bearer token only', async () => {
        expect((await call('GET', '/api/v1/readings/latest')).status).toBe(401);
        expect((await call('GET', '/api/v1/readings/latest', { token: owner })).status).toBe(200);
        expect(
          (await call('GET', `/api/v1/tags/${platform.creds.tags[0].mac}/readings`, { token: owner })).status,
        ).toBe(200);
      });

      it('documents every route in the OpenAPI document at /docs', async () => {
        const ui = await call('GET', '/docs');
        expect(ui.status).toBe(200);
        const doc = (await call('GET', '/docs/json')).body;
        /** "METHOD /path" → the operation's summary. */
        const documented = new Map(
          Object.entries(doc.paths as Record<string, Record<string, { summary?: string }>>).flatMap(
            ([path, ops]) => Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${path}`, op.summary]),
          ),
        );
        for (const route of [
          'POST /api/v1/auth/login',
          'POST /api/v1/auth/refresh',
          'POST /api/v1/auth/logout',
          'POST /api/v1/auth/change-password',
          'GET /api/v1/auth/me',
          'GET /api/v1/users',
          'POST /api/v1/users',
          'GET /api/v1/users/{id}',
          'PATCH /api/v1/users/{id}',
          'POST /api/v1/users/{id}/reset-password',
          'GET /api/v1/users/{id}/history',
          'GET /api/v1/hubs',
          'POST /api/v1/hubs',
          'GET /api/v1/hubs/{imei}',
          'POST /api/v1/hubs/{imei}/secret',
          'GET /api/v1/hubs/{imei}/history',
          'GET /api/v1/tags',
          'POST /api/v1/tags',
          'GET /api/v1/tags/{mac}',
          'PATCH /api/v1/tags/{mac}',
          'GET /api/v1/tags/{mac}/history',
          'GET /api/v1/tags/{mac}/readings',
          'GET /api/v1/profiles',
          'POST /api/v1/profiles',
          'GET /api/v1/profiles/{id}',
          'PUT /api/v1/profiles/{id}',
          'GET /api/v1/profiles/{id}/history',
          'GET /api/v1/audit',
          'GET /api/v1/readings/latest',
          'GET /api/v1/alerts',
          'GET /health',
          'GET /metrics',
        ])
          expect([route, typeof documented.get(route)]).toEqual([route, 'string']);
        expect(
          doc.paths['/api/v1/hubs'].post.requestBody.content['application/json'].schema.required,
        ).toEqual(['imei', 'name']);
      });
    });

    describe('housekeeping', () => {
      it('purges sessions that ended more than 30 days ago; logging in still works', async () => {
        const pair = (await login(ownerEmail, ownerPassword)).body;
        await call('POST', '/api/v1/auth/logout', { token: pair.accessToken });
        clock.advance(31 * 24 * 60 * MINUTE);
        expect(await platform.app.get(AuthRecordsPurge).purge()).toBeGreaterThan(0);
        expect(await platform.app.get(AuthRecordsPurge).purge()).toBe(0);
        expect((await login(ownerEmail, ownerPassword)).status).toBe(200);
      });
    });

    describe('hub credentials', () => {
      async function connect(imei: string, password: string): Promise<MqttClient> {
        const client = await connectAsync(platform.mqttUrl, {
          clientId: `khub-${imei}-${randomUUID().slice(0, 8)}`,
          username: imei,
          password,
          reconnectPeriod: 0,
          clean: true,
        });
        clients.push(client);
        return client;
      }

      /** Tries to connect until the gateway's cache (METADATA_REFRESH_MS) has taken the change; bounded. */
      async function eventually<T>(attempt: () => Promise<T>, tries = 50): Promise<T> {
        for (let i = 1; ; i++) {
          try {
            return await attempt();
          } catch (err) {
            if (i >= tries) throw err;
            await new Promise((r) => setTimeout(r, 100)); // real time: the gateway cache polls on a real timer
          }
        }
      }

      it('registers a hub whose secret the gateway accepts, then rotates it: new secret in, old secret refused (CONNACK 4)', async () => {
        const imei = imeiFromBody('3569380' + String(Date.now()).slice(-7));
        const registered = await call('POST', '/api/v1/hubs', {
          token: owner,
          body: { imei, name: 'Reefer 9' },
        });
        expect(registered.status).toBe(201);
        const oldSecret: string = registered.body.secret;
        const first = await eventually(() => connect(imei, oldSecret));
        expect(first.connected).toBe(true);
        await first.endAsync();

        const rotated = await call('POST', `/api/v1/hubs/${imei}/secret`, { token: owner });
        expect(rotated.status).toBe(200);
        expect(rotated.body.secret).not.toBe(oldSecret);
        const second = await eventually(() => connect(imei, rotated.body.secret));
        expect(second.connected).toBe(true);
        await expect(connect(imei, oldSecret)).rejects.toMatchObject({ code: 4 });
        const trail = await call('GET', `/api/v1/hubs/${imei}/history`, { token: owner });
        expect(trail.body.entries.map((e: AuditEntryBody) => e.action)).toEqual([
          'hub.rotate_secret',
          'hub.create',
        ]);
        expect(JSON.stringify(trail.body)).not.toContain(rotated.body.secret);
      });
    });
  });
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { hubTopic, imeiFromBody } from '@coldchain/contract';
import { PLATFORM_ADMIN_CREDENTIALS_FILE } from '@coldchain/http-api';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';
import { ShiftedClock } from '../../support/shifted-clock.js';

const DAY = 86_400_000;
const ADMIN_EMAIL = 'ops@platform.test';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ApiBody = any;

interface Res {
  status: number;
  body: ApiBody;
}

/**
 * Tenant administration end to end over HTTP and MQTT, on every metadata
 * engine `env` selects: the platform admin bootstrapped from
 * PLATFORM_ADMIN_EMAIL, tenants opened with their first owner, closed at
 * contract termination (hubs refused at the gateway, nothing more stored,
 * read-only access to export, then none), and platform and tenant routes
 * kept apart in both directions.
 */
export function platformApiSuite(engine: string, env: () => Promise<Record<string, string>>): void {
  describe(`tenant administration on ${engine}`, () => {
    let platform: RunningPlatform;
    const clock = new ShiftedClock();
    const clients: MqttClient[] = [];
    let admin: string; // the platform admin's access token
    let demoOwner: string;

    async function call(method: string, path: string, token?: string, body?: unknown): Promise<Res> {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${platform.httpUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // NDJSON (export) stays text
      }
      return { status: res.status, body: parsed };
    }

    const login = (email: string, password: string) =>
      call('POST', '/api/v1/auth/login', undefined, { email, password });

    /** First login with a temporary password, then the change it requires; the new session's access token. */
    async function firstLogin(
      email: string,
      temporaryPassword: string,
      newPassword: string,
    ): Promise<string> {
      const first = await login(email, temporaryPassword);
      expect(first.status).toBe(200);
      expect(first.body.mustChangePassword).toBe(true);
      const changed = await call('POST', '/api/v1/auth/change-password', first.body.accessToken, {
        currentPassword: temporaryPassword,
        newPassword,
      });
      expect(changed.status).toBe(204);
      return first.body.accessToken as string;
    }

    async function newTenant(name: string): Promise<{ id: string; ownerEmail: string; owner: string }> {
      const ownerEmail = `owner-${randomUUID()}@customer.test`;
      const created = await call('POST', '/api/v1/platform/tenants', admin, {
        name,
        owner: { email: ownerEmail },
      });
      expect(created.status).toBe(201);
      const owner = await firstLogin(ownerEmail, created.body.temporaryPassword, 'customer owner password');
      return { id: created.body.tenant.id, ownerEmail, owner };
    }

    async function connectHub(imei: string, secret: string): Promise<MqttClient> {
      const client = await connectAsync(platform.mqttUrl, {
        clientId: `khub-${imei}-${randomUUID().slice(0, 8)}`,
        username: imei,
        password: secret,
        reconnectPeriod: 0,
        clean: true,
      });
      clients.push(client);
      return client;
    }

    /** Retries until it holds (the gateway's cache reloads every METADATA_REFRESH_MS, on a real timer); bounded. */
    async function eventually<T>(attempt: () => Promise<T>, tries = 50): Promise<T> {
      for (let i = 1; ; i++) {
        try {
          return await attempt();
        } catch (err) {
          if (i >= tries) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }

    beforeAll(async () => {
      platform = await startPlatform(
        { PLATFORM_ADMIN_EMAIL: ADMIN_EMAIL, LOGIN_RATE_PER_MINUTE: '100000', ...(await env()) },
        { clock },
      );
      const { email, password } = platform.creds.users[0];
      demoOwner = (await login(email, password)).body.accessToken;
    }, 120_000);

    afterAll(async () => {
      for (const c of clients) await c.endAsync(true).catch(() => undefined);
      await platform?.close();
    });

    it('bootstraps the platform admin from PLATFORM_ADMIN_EMAIL: a temporary password to change first, no tenant', async () => {
      const creds = JSON.parse(
        readFileSync(join(platform.config.DATA_DIR, PLATFORM_ADMIN_CREDENTIALS_FILE), 'utf8'),
      ) as { email: string; temporaryPassword: string };
      expect(creds.email).toBe(ADMIN_EMAIL);
      const pending = (await login(ADMIN_EMAIL, creds.temporaryPassword)).body.accessToken;
      const refused = await call('GET', '/api/v1/platform/tenants', pending);
      expect([refused.status, refused.body.error]).toEqual([403, 'password_change_required']);
      admin = await firstLogin(ADMIN_EMAIL, creds.temporaryPassword, 'platform admin password');
      const me = await call('GET', '/api/v1/auth/me', admin);
      expect(me.body).toEqual({
        kind: 'platform',
        userId: expect.any(String),
        email: ADMIN_EMAIL,
        mustChangePassword: false,
      });
    });

    it('keeps platform and tenant routes apart: 403 both ways, and the demo tenant stays open', async () => {
      for (const path of [
        '/api/v1/hubs',
        '/api/v1/tags',
        '/api/v1/readings/latest',
        '/api/v1/tenant',
        '/api/v1/users',
        '/api/v1/audit',
        '/api/v1/export',
        `/api/v1/stream?access_token=${admin}`,
      ]) {
        const res = await call('GET', path, admin);
        expect([path, res.status, res.body.error]).toEqual([path, 403, 'forbidden']);
      }
      const asTenant: Array<[string, string, unknown?]> = [
        ['GET', '/api/v1/platform/tenants'],
        ['GET', '/api/v1/platform/tenants/demo'],
        ['GET', '/api/v1/platform/tenants/demo/history'],
        ['POST', '/api/v1/platform/tenants', { name: 'Mine', owner: { email: `x-${randomUUID()}@x.test` } }],
        ['POST', '/api/v1/platform/tenants/demo/close', {}],
      ];
      for (const [method, path, body] of asTenant) {
        const res = await call(method, path, demoOwner, body);
        expect([method, path, res.status, res.body.error]).toEqual([method, path, 403, 'forbidden']);
      }
      expect((await call('GET', '/api/v1/platform/tenants/demo', admin)).body.status).toBe('open');
      expect((await call('GET', '/api/v1/platform/tenants')).status).toBe(401);
    });

    it('opens a tenant with its first owner, who must change the temporary password; all in its audit trail', async () => {
      const ownerEmail = `first-${randomUUID()}@frio.test`;
      const created = await call('POST', '/api/v1/platform/tenants', admin, {
        name: 'Frío Pharma',
        timeZone: 'Europe/Madrid',
        owner: { email: ownerEmail },
      });
      expect(created.status).toBe(201);
      expect(created.body.tenant).toMatchObject({
        name: 'Frío Pharma',
        timeZone: 'Europe/Madrid',
        status: 'open',
        createdAt: expect.any(Number),
      });
      expect(created.body.tenant.id).toMatch(/^frio-pharma-[a-z0-9]{6}$/);
      expect(created.body.owner).toMatchObject({
        email: ownerEmail,
        role: 'owner',
        mustChangePassword: true,
      });
      const tenantId: string = created.body.tenant.id;
      const owner = await firstLogin(ownerEmail, created.body.temporaryPassword, 'frio owner password');
      expect((await call('GET', '/api/v1/tenant', owner)).body).toMatchObject({
        id: tenantId,
        name: 'Frío Pharma',
        timeZone: 'Europe/Madrid',
      });
      // The platform admin is no member: the tenant's only user is its owner.
      expect(
        (await call('GET', '/api/v1/users', owner)).body.users.map((u: { email: string }) => u.email),
      ).toEqual([ownerEmail]);
      const trail = (await call('GET', '/api/v1/audit', owner)).body.entries as Array<{
        action: string;
        actorEmail: string;
      }>;
      expect(trail.map((e) => [e.action, e.actorEmail])).toEqual([
        ['auth.login', ownerEmail], // the owner's first login is in the tenant's trail too
        ['user.create', ADMIN_EMAIL],
        ['tenant.create', ADMIN_EMAIL],
      ]);
      const listed = await call('GET', '/api/v1/platform/tenants', admin);
      expect(listed.body.tenants.map((t: { id: string }) => t.id)).toEqual(
        expect.arrayContaining(['demo', tenantId]),
      );
      expect((await call('GET', '/api/v1/platform/tenants/nope', admin)).status).toBe(404);
    });

    it('refuses a taken tenant id or email with 409, and bad input with 400s naming the field', async () => {
      const id = `acme-${randomBytes(3).toString('hex')}`;
      const ok = await call('POST', '/api/v1/platform/tenants', admin, {
        id,
        name: 'Acme',
        owner: { email: `a-${randomUUID()}@acme.test` },
      });
      expect(ok.body.tenant.id).toBe(id);
      for (const body of [
        { id, name: 'Acme again', owner: { email: `b-${randomUUID()}@acme.test` } },
        { name: 'Demo email', owner: { email: platform.creds.users[0].email } },
        { name: 'Admin email', owner: { email: ADMIN_EMAIL.toUpperCase() } },
      ]) {
        const res = await call('POST', '/api/v1/platform/tenants', admin, body);
        expect([body.name, res.status, res.body.error]).toEqual([body.name, 409, 'conflict']);
      }
      const bad: Array<[unknown, string[]]> = [
        [{ owner: { email: 'o@x.test' } }, ['name: Invalid input: expected string, received undefined']],
        [
          { name: 'X', timeZone: 'Mars/Olympus', owner: { email: 'nope' }, id: 'Has Spaces' },
          [
            'id: expected 1–40 lower-case letters, digits and inner hyphens',
            'timeZone: not an IANA time zone (e.g. Europe/Lisbon)',
            'owner.email: expected an email address',
          ],
        ],
        [{ name: 'X', owner: { email: 'o@x.test' }, plan: 'gold' }, ['body: Unrecognized key: "plan"']],
      ];
      for (const [body, problems] of bad) {
        const res = await call('POST', '/api/v1/platform/tenants', admin, body);
        expect(res.status).toBe(400);
        expect(res.body.problems).toEqual(problems);
      }
      for (const [body, problem] of [
        [{ readOnlyDays: -1 }, 'readOnlyDays: expected ≥ 0'],
        [{ readOnlyDays: 1.5 }, 'readOnlyDays: expected an integer'],
        [{ readOnlyDays: 400 }, 'readOnlyDays: expected ≤ 365'],
        [{ reason: ' ' }, 'reason: must not be empty'],
      ] as const) {
        const res = await call('POST', `/api/v1/platform/tenants/${id}/close`, admin, body);
        expect([res.status, res.body.problems]).toEqual([400, [problem]]);
      }
      expect((await call('GET', `/api/v1/platform/tenants/${id}`, admin)).body.status).toBe('open');
    });

    it('closes a tenant: its hubs are refused, nothing more is stored, its users read and export, and it is all audited', async () => {
      const { id, owner } = await newTenant('Closing Co');
      // A hub and a tag of its own, publishing while the tenant is open.
      const imei = imeiFromBody('3569380' + String(Date.now()).slice(-7));
      const hub = await call('POST', '/api/v1/hubs', owner, { imei, name: 'Reefer' });
      expect(hub.status).toBe(201);
      const mac = [
        'C0',
        'FF',
        'EE',
        ...(randomBytes(3).toString('hex').toUpperCase().match(/../g) ?? []),
      ].join(':');
      expect((await call('POST', '/api/v1/tags', owner, { mac, name: 'Pallet' })).status).toBe(201);
      const connected = await eventually(() => connectHub(imei, hub.body.secret));
      const ts = clock.now() - 60_000;
      const publish = (at: number) =>
        connected.publishAsync(
          hubTopic(imei, 'telemetry'),
          JSON.stringify({
            v: 1,
            hub: imei,
            seq: at,
            sentAt: at,
            readings: [{ tag: mac, ts: at, temperature: 4 }],
          }),
          { qos: 1 },
        );
      await eventually(async () => {
        await publish(ts);
        expect((await call('GET', '/api/v1/readings/latest', owner)).body.readings).toHaveLength(1);
      });

      const closed = await call('POST', `/api/v1/platform/tenants/${id}/close`, admin, {
        readOnlyDays: 30,
        reason: 'contract ended',
      });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ id, status: 'read_only', closedBy: ADMIN_EMAIL });
      expect(closed.body.readOnlyUntil - closed.body.closedAt).toBe(30 * DAY);

      // The gateway refuses the hub's credentials (CONNACK 4) once its cache has the closing.
      await eventually(async () => {
        await expect(connectHub(imei, hub.body.secret)).rejects.toMatchObject({ code: 4 });
      });
      // A hub still connected from before is acknowledged (and dead-lettered), but nothing is stored.
      await publish(ts + 30_000);
      const latest = await call('GET', '/api/v1/readings/latest', owner);
      expect(latest.status).toBe(200);
      expect(latest.body.readings.map((r: { ts: number }) => r.ts)).toEqual([ts]);

      // Read-only: reads and the export work, every write is 403 tenant_closed.
      expect((await call('GET', '/api/v1/auth/me', owner)).body.readOnlyUntil).toBe(
        closed.body.readOnlyUntil,
      );
      expect((await call('GET', '/api/v1/tenant', owner)).body).toMatchObject({
        closedAt: closed.body.closedAt,
        readOnlyUntil: closed.body.readOnlyUntil,
      });
      expect((await call('GET', '/api/v1/hubs', owner)).status).toBe(200);
      const exported = await call('GET', '/api/v1/export', owner);
      expect(exported.status).toBe(200);
      expect(exported.body).toContain(`"tag":"${mac}"`);
      const writes: Array<[string, string, unknown?]> = [
        ['POST', '/api/v1/tags', { mac: 'C0:FF:EE:00:00:01', name: 'late' }],
        ['PATCH', '/api/v1/tenant', { name: 'Renamed' }],
        ['POST', `/api/v1/hubs/${imei}/secret`],
        ['POST', '/api/v1/users', { email: `late-${randomUUID()}@x.test`, role: 'viewer' }],
      ];
      for (const [method, path, body] of writes) {
        const res = await call(method, path, owner, body);
        expect([method, path, res.status, res.body.error]).toEqual([method, path, 403, 'tenant_closed']);
      }
      const trail = (await call('GET', '/api/v1/audit', owner)).body.entries as Array<{
        action: string;
        actorEmail: string;
        detail: unknown;
      }>;
      expect(trail.slice(0, 2).map((e) => [e.action, e.actorEmail])).toEqual([
        ['tenant.export', expect.stringMatching(/^owner-/)],
        ['tenant.close', ADMIN_EMAIL],
      ]);
      expect(trail[1].detail).toEqual({
        readOnlyDays: 30,
        readOnlyUntil: closed.body.readOnlyUntil,
        reason: 'contract ended',
      });
      const history = await call('GET', `/api/v1/platform/tenants/${id}/history`, admin);
      expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual([
        'tenant.export',
        'tenant.close',
        'tenant.create',
      ]);
      const again = await call('POST', `/api/v1/platform/tenants/${id}/close`, admin, {});
      expect([again.status, again.body.error]).toEqual([409, 'conflict']);
      expect((await call('POST', '/api/v1/platform/tenants/nope/close', admin)).status).toBe(404);
    });

    // Last: it moves the platform's clock a day ahead.
    it("ends a closed tenant's access after its read-only days: logins and sessions refused (401 tenant_closed)", async () => {
      const { id, ownerEmail, owner } = await newTenant('Short Notice');
      expect(
        (await call('POST', `/api/v1/platform/tenants/${id}/close`, admin, { readOnlyDays: 1 })).status,
      ).toBe(200);
      const reading = await login(ownerEmail, 'customer owner password');
      expect(reading.status).toBe(200);
      expect((await call('GET', '/api/v1/hubs', owner)).status).toBe(200);
      clock.advance(DAY + 1000);
      const refused = await login(ownerEmail, 'customer owner password');
      expect([refused.status, refused.body.reason]).toEqual([401, 'tenant_closed']);
      const refresh = await call('POST', '/api/v1/auth/refresh', undefined, {
        refreshToken: reading.body.refreshToken,
      });
      expect(refresh.status).toBe(401);
      expect((await call('GET', `/api/v1/platform/tenants/${id}`, admin)).status).toBe(401); // a day idle: log in again
      admin = (await login(ADMIN_EMAIL, 'platform admin password')).body.accessToken;
      expect((await call('GET', `/api/v1/platform/tenants/${id}`, admin)).body.status).toBe('closed');
    });
  });
}

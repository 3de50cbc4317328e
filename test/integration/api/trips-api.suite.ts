import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { hubTopic, type TelemetryPayloadV1 } from '@coldchain/contract';
import { loginToken, seedUser } from '../../support/api-users.js';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ApiBody = any;

/**
 * Trips over HTTP: plan, start, readings during the trip over MQTT, stop,
 * per-tag statistics and the PDF over [start, stop), the audit trail, tenant
 * isolation and bad input; the same cases on every metadata engine `env` selects.
 */
export function tripsApiSuite(engine: string, env: () => Promise<Record<string, string>>): void {
  describe(`trips API on ${engine}`, () => {
    let platform: RunningPlatform;
    let hub: MqttClient;
    let token: string;
    let otherToken: string;
    let viewerToken: string;
    let imei: string;
    let macs: string[];
    let tripId: string;

    const call = async (method: string, path: string, body?: unknown, auth: string = token) => {
      const res = await fetch(`${platform.httpUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${auth}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const type = res.headers.get('content-type') ?? '';
      const payload: ApiBody = type.startsWith('application/json')
        ? await res.json()
        : Buffer.from(await res.arrayBuffer());
      return { status: res.status, body: payload, type };
    };
    beforeAll(async () => {
      platform = await startPlatform({ LOGIN_RATE_PER_MINUTE: '100000', ...(await env()) });
      const { email, password } = platform.creds.users[0];
      token = await loginToken(platform.httpUrl, email, password);
      imei = platform.creds.hubs[0].imei;
      macs = platform.creds.tags.filter((t) => t.hub === imei).map((t) => t.mac);
      hub = await connectAsync(platform.mqttUrl, {
        clientId: `khub-${imei}`,
        username: imei,
        password: platform.creds.hubs[0].secret,
        reconnectPeriod: 0,
      });
      const other = await seedUser(platform, {
        tenantId: `other-${randomUUID()}`,
        role: 'owner',
        newTenant: 'Other Co',
      });
      otherToken = await loginToken(platform.httpUrl, other.email, other.password);
      const viewer = await seedUser(platform, { tenantId: 'demo', role: 'viewer' });
      viewerToken = await loginToken(platform.httpUrl, viewer.email, viewer.password);
    }, 600_000);

    afterAll(async () => {
      await hub?.endAsync();
      await platform?.close();
    });

    it('plans, starts and stops a trip, with its statistics over [start, stop) and a PDF', async () => {
      const planned = await call('POST', '/api/v1/trips', {
        name: 'LIS-MAD 42',
        origin: 'Lisbon DC',
        destination: 'Madrid',
        tags: [macs[0].toLowerCase().replace(/:/g, '-'), macs[1]],
        hubs: [imei],
      });
      expect(planned.status).toBe(201);
      expect(planned.body).toMatchObject({ status: 'planned', tags: [macs[0], macs[1]], hubs: [imei] });
      tripId = planned.body.id;
      expect((await call('GET', `/api/v1/trips/${tripId}/statistics`)).status).toBe(409); // not started

      const started = await call('POST', `/api/v1/trips/${tripId}/start`);
      expect(started.body).toMatchObject({ status: 'in_progress' });
      const t0: number = started.body.startedAt;
      // During the trip: 10 readings of tag 0 measured after the start, one of them 20 °C; one before the start.
      const readings = Array.from({ length: 10 }, (_, i) => ({
        tag: macs[0],
        ts: t0 + 1 + i,
        temperature: i === 5 ? 20 : 4,
      }));
      const payload: TelemetryPayloadV1 = {
        v: 1,
        hub: imei,
        seq: 1,
        sentAt: Date.now(),
        readings: [{ tag: macs[0], ts: t0 - 60_000, temperature: -30 }, ...readings],
      };
      await hub.publishAsync(hubTopic(imei, 'telemetry'), JSON.stringify(payload), { qos: 1 });
      // The stop is taken on the server clock: let it pass the last reading's measured time first, so
      // all ten lie within [start, stop) however fast this machine is (ordering, not a timing check).
      while (Date.now() <= t0 + readings.length + 1) await new Promise((r) => setTimeout(r, 5));

      const stopped = await call('POST', `/api/v1/trips/${tripId}/stop`);
      expect(stopped.body).toMatchObject({ status: 'completed', startedAt: t0 });
      const stats = await call('GET', `/api/v1/trips/${tripId}/statistics`);
      expect(stats.status).toBe(200);
      expect(stats.body.tags.map((t: { tag: string }) => t.tag)).toEqual([macs[0], macs[1]]);
      // Only what was measured within the trip counts: the −30 °C reading before the start does not.
      expect(stats.body.tags[0]).toMatchObject({ samples: 10, minC: 4, maxC: 20 });
      expect(stats.body.tags[0].excursions).toHaveLength(1);
      expect(stats.body.tags[1]).toMatchObject({ samples: 0 });

      const pdf = await call('GET', `/api/v1/trips/${tripId}/report.pdf?timeZone=Europe/Madrid`);
      expect(pdf.status).toBe(200);
      expect(pdf.type).toBe('application/pdf');
      expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

      const history = await call('GET', `/api/v1/trips/${tripId}/history`);
      expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual([
        'report.download', // the PDF above: each download is audited on its trip
        'trip.stop',
        'trip.start',
        'trip.create',
      ]);
      expect((await call('PATCH', `/api/v1/trips/${tripId}`, { name: 'rewritten' })).status).toBe(409);
    });

    it('refuses a second trip in progress for the same tag, naming it', async () => {
      const a = await call('POST', '/api/v1/trips', { name: 'A', tags: [macs[2]] });
      const b = await call('POST', '/api/v1/trips', { name: 'B', tags: [macs[2]] });
      expect((await call('POST', `/api/v1/trips/${a.body.id}/start`)).status).toBe(200);
      const clash = await call('POST', `/api/v1/trips/${b.body.id}/start`);
      expect(clash.status).toBe(409);
      expect(JSON.stringify(clash.body)).toContain(`${macs[2]} (trip A)`);
      await call('POST', `/api/v1/trips/${a.body.id}/stop`);
    });

    it("answers 404 for another tenant's trip on every route, and lets a viewer read but not write", async () => {
      for (const [method, path] of [
        ['GET', `/api/v1/trips/${tripId}`],
        ['PATCH', `/api/v1/trips/${tripId}`],
        ['POST', `/api/v1/trips/${tripId}/start`],
        ['POST', `/api/v1/trips/${tripId}/stop`],
        ['GET', `/api/v1/trips/${tripId}/history`],
        ['GET', `/api/v1/trips/${tripId}/statistics`],
        ['GET', `/api/v1/trips/${tripId}/report.pdf`],
      ])
        expect([
          method,
          path,
          (await call(method, path, method === 'PATCH' ? { name: 'x' } : undefined, otherToken)).status,
        ]).toEqual([method, path, 404]);
      expect((await call('GET', '/api/v1/trips', undefined, otherToken)).body.trips).toEqual([]);
      expect((await call('GET', `/api/v1/trips/${tripId}`, undefined, viewerToken)).status).toBe(200);
      expect((await call('POST', '/api/v1/trips', { name: 'v', tags: [macs[0]] }, viewerToken)).status).toBe(
        403,
      );
    });

    it('lets the owner set the tenant name, report time zone and a shorter positions retention; audited; viewer read-only', async () => {
      expect((await call('GET', '/api/v1/tenant', undefined, viewerToken)).body).toMatchObject({
        id: 'demo',
      });
      expect((await call('PATCH', '/api/v1/tenant', { timeZone: 'Europe/Lisbon' }, viewerToken)).status).toBe(
        403,
      );
      const bad = await call('PATCH', '/api/v1/tenant', {
        timeZone: 'Mars/Olympus',
        positionsRetentionDays: 0,
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toMatch(/timeZone: not an IANA time zone.*positionsRetentionDays/);
      const set = await call('PATCH', '/api/v1/tenant', {
        timeZone: 'Europe/Lisbon',
        positionsRetentionDays: 30,
      });
      expect(set.body).toMatchObject({ id: 'demo', timeZone: 'Europe/Lisbon', positionsRetentionDays: 30 });
      const audit = await call('GET', '/api/v1/audit?objectType=tenant');
      expect(audit.body.entries[0]).toMatchObject({ action: 'tenant.update', objectId: 'demo' });
      const theirs = await call('GET', '/api/v1/tenant', undefined, otherToken);
      expect(theirs.body.timeZone).toBeUndefined();
      expect(theirs.body.id).not.toBe('demo');
    });

    it("refuses bad input with 400 naming each problem, including another tenant's devices", async () => {
      const bad = await call('POST', '/api/v1/trips', {
        name: '',
        tags: ['nope', 'C0:FF:EE:00:00:01'],
        hubs: ['123'],
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toMatch(/name/);
      const foreign = await call('POST', '/api/v1/trips', {
        name: 'x',
        tags: ['nope', 'C0:FF:EE:00:00:01'],
        hubs: ['123'],
      });
      expect(foreign.status).toBe(400);
      const text = JSON.stringify(foreign.body);
      expect(text).toContain('\\"nope\\" is not a MAC address');
      expect(text).toContain('C0:FF:EE:00:00:01 is not a tag of this tenant');
      expect(text).toContain('\\"123\\" is not an IMEI');
      expect((await call('POST', '/api/v1/trips', { name: 'x', tags: [macs[0]], extra: 1 })).status).toBe(
        400,
      );
    });
  });
}

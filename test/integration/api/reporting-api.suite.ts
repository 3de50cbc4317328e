import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { hubTopic, type TelemetryPayloadV1 } from '@coldchain/contract';
import type { AlertEvent } from '@coldchain/domain';
import { loginToken, seedUser } from '../../support/api-users.js';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';
import { repositoriesOf } from '../../support/metadata.js';

const MIN = 60_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ApiBody = any;

/**
 * Charts, statistics, CSV, PDF, positions and the live stream over HTTP, fed
 * through the real MQTT edge: the same cases on every engine pair `env`
 * selects (embedded SQLite, or InfluxDB and PostgreSQL).
 */
export function reportingApiSuite(engine: string, env: () => Promise<Record<string, string>>): void {
  describe(`reporting API on ${engine}`, () => {
    let platform: RunningPlatform;
    let hub: MqttClient;
    let token: string;
    let otherToken: string;
    let imei: string;
    let mac: string;
    let band: { min: number; max: number };
    // Two hours of one reading a minute, ending on a whole hour an hour ago (buckets align to it).
    const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
    const N = 120;
    let celsius: number[];

    const call = async (path: string, auth: string | undefined = token) => {
      const res = await fetch(`${platform.httpUrl}${path}`, {
        headers: auth ? { authorization: `Bearer ${auth}` } : {},
      });
      return res;
    };
    const json = async (path: string, auth?: string): Promise<{ status: number; body: ApiBody }> => {
      const res = await call(path, auth);
      return { status: res.status, body: (await res.json()) as ApiBody };
    };
    let seq = 0;
    /** Publishes like a hub (QoS 1): resolves on PUBACK, which the platform sends once ingest has the readings. */
    const publish = async (readings: TelemetryPayloadV1['readings'], gps?: TelemetryPayloadV1['gps']) => {
      const payload: TelemetryPayloadV1 = { v: 1, hub: imei, seq: seq++, sentAt: Date.now(), readings };
      if (gps) payload.gps = gps;
      await hub.publishAsync(hubTopic(imei, 'telemetry'), JSON.stringify(payload), { qos: 1 });
    };

    beforeAll(async () => {
      platform = await startPlatform({ ...(await env()) });
      const { email, password } = platform.creds.users[0];
      token = await loginToken(platform.httpUrl, email, password);
      const first = platform.creds.hubs[0];
      imei = first.imei;
      const tag = platform.creds.tags.find((t) => t.hub === imei)!;
      mac = tag.mac;
      band = tag.profile.temperature;
      hub = await connectAsync(platform.mqttUrl, {
        clientId: `khub-${imei}`,
        username: imei,
        password: first.secret,
        reconnectPeriod: 0,
      });
      // In range, then 20 minutes 3 °C above the band (minutes 40..59), then in range again.
      celsius = Array.from({ length: N }, (_, i) =>
        i >= 40 && i < 60 ? band.max + 3 : band.min + 1 + (i % 3),
      );
      await publish(
        celsius.map((c, i) => ({ tag: mac, ts: T0 + i * MIN, temperature: c })),
        { lat: 38.72, lon: -9.14, fixAt: T0 + (N - 1) * MIN },
      );
      await publish([{ tag: mac, ts: T0 + N * MIN, temperature: band.min + 1 }], {
        lat: 38.8,
        lon: -9.0,
        fixAt: T0 + N * MIN,
      });

      // Another tenant with a user of its own: the demo tenant's devices do not exist for it.
      const other = await seedUser(platform, {
        tenantId: `other-${randomUUID()}`,
        role: 'owner',
        newTenant: 'Other Co',
      });
      otherToken = await loginToken(platform.httpUrl, other.email, other.password);
    }, 600_000);

    afterAll(async () => {
      await hub?.endAsync();
      await platform?.close();
    });

    const win = (from: number, to: number) => `from=${from}&to=${to}`;

    it('charts raw readings when they fit, and round buckets with min, mean and max when they do not', async () => {
      const raw = await json(`/api/v1/tags/${mac}/series?${win(T0, T0 + N * MIN)}&maxPoints=200`);
      expect(raw.status).toBe(200);
      expect(raw.body).toMatchObject({ tag: mac, stepMs: null, band: { low: band.min, high: band.max } });
      expect(raw.body.points.map((p: { c: number }) => p.c)).toEqual(celsius);

      const bucketed = await json(`/api/v1/tags/${mac}/series?${win(T0, T0 + N * MIN)}&maxPoints=50`);
      expect(bucketed.body.stepMs).toBe(5 * MIN); // 1 min would give 120 points; 5 min gives 24
      expect(bucketed.body.points).toHaveLength(24);
      const ninth = celsius.slice(40, 45); // the bucket starting at minute 40: all above the band
      expect(bucketed.body.points[8]).toMatchObject({
        t: T0 + 40 * MIN,
        c: band.max + 3,
        min: band.max + 3,
        max: band.max + 3,
      });
      expect(Math.max(...ninth)).toBe(band.max + 3);
      const first = celsius.slice(0, 5);
      expect(bucketed.body.points[0].c).toBeCloseTo(first.reduce((a, b) => a + b) / 5, 9);
    });

    it('states temperature statistics with the excursion from stored history', async () => {
      const { status, body } = await json(`/api/v1/tags/${mac}/statistics?${win(T0, T0 + N * MIN)}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        samples: N,
        minC: band.min + 1,
        maxC: band.max + 3,
        aboveMs: 20 * MIN,
        belowMs: 0,
        gaps: 0,
        excursions: [
          {
            side: 'above',
            bound: band.max,
            startedAt: T0 + 40 * MIN,
            endedAt: T0 + 60 * MIN,
            durationMs: 20 * MIN,
            peakC: band.max + 3,
          },
        ],
      });
      expect(body.mktC).toBeGreaterThan(body.meanC);
    });

    it('exports the readings as a CSV download and the excursion report as a PDF', async () => {
      const csv = await call(`/api/v1/tags/${mac}/readings.csv?${win(T0, T0 + N * MIN)}`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
      const lines = (await csv.text()).split('\r\n').filter(Boolean);
      expect(lines[0]).toBe(
        'measured_at,tag,hub,temperature_c,humidity_pct,co2_ppm,door,battery_pct,rssi_dbm,received_at',
      );
      expect(lines).toHaveLength(N + 1);
      expect(lines[41]).toBe(
        `${new Date(T0 + 40 * MIN).toISOString()},${mac},${imei},${band.max + 3},,,,,,${lines[41].split(',').at(-1)}`,
      );

      const pdf = await call(
        `/api/v1/tags/${mac}/report.pdf?${win(T0, T0 + N * MIN)}&timeZone=Europe/Lisbon`,
      );
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(bytes.length).toBeGreaterThan(2000);
    });

    it("serves each hub's newest position and its trail", async () => {
      const latest = await json('/api/v1/positions/latest');
      expect(latest.body.positions).toContainEqual(
        expect.objectContaining({ hub: imei, lat: 38.8, lon: -9.0, fixAt: T0 + N * MIN }),
      );
      const trail = await json(`/api/v1/hubs/${imei}/positions?${win(T0, T0 + (N + 1) * MIN)}`);
      expect(trail.body.positions.map((p: { lat: number }) => p.lat)).toEqual([38.72, 38.8]);
    });

    it("answers 404 for another tenant's tag or hub on every reporting route, and shows it none of them", async () => {
      for (const path of [
        `/api/v1/tags/${mac}/series?${win(T0, T0 + N * MIN)}`,
        `/api/v1/tags/${mac}/statistics?${win(T0, T0 + N * MIN)}`,
        `/api/v1/tags/${mac}/readings.csv?${win(T0, T0 + N * MIN)}`,
        `/api/v1/tags/${mac}/report.pdf?${win(T0, T0 + N * MIN)}`,
        `/api/v1/hubs/${imei}/positions?${win(T0, T0 + N * MIN)}`,
      ])
        expect([path, (await call(path, otherToken)).status]).toEqual([path, 404]);
      expect((await json('/api/v1/positions/latest', otherToken)).body.positions).toEqual([]);
      expect((await call(`/api/v1/tags/${mac}/series`, '')).status).toBe(401);
    });

    it('refuses bad input with 400 naming the problem', async () => {
      const cases: Array<[string, RegExp]> = [
        [`/api/v1/tags/${mac}/series?from=${T0 + MIN}&to=${T0}`, /from must be before to/],
        [`/api/v1/tags/${mac}/series?maxPoints=1`, /maxPoints/],
        [`/api/v1/tags/not-a-mac/statistics`, /not a MAC address/],
        [`/api/v1/tags/${mac}/report.pdf?timeZone=Mars/Olympus`, /unknown time zone/],
        [`/api/v1/hubs/123/positions`, /not an IMEI/],
        [`/api/v1/tags/${mac}/statistics?from=yesterday`, /ISO-8601/],
      ];
      for (const [path, message] of cases) {
        const res = await json(path);
        expect([path, res.status]).toEqual([path, 400]);
        expect(JSON.stringify(res.body)).toMatch(message);
      }
    });

    it('filters alerts and shows one with its episode timeline; another tenant gets 404', async () => {
      const store = repositoriesOf(platform.app);
      const base: AlertEvent = {
        v: 1,
        key: `it:${randomUUID()}:raised`,
        tenantId: 'demo',
        tag: mac,
        hub: imei,
        profileId: 'p',
        profileVersion: 1,
        rule: 'co2.high', // not a rule of the demo profile: the live engine's own alerts stay out of this episode
        severity: 'warning',
        transition: 'raised',
        startedAt: T0 + 40 * MIN,
        late: true,
        emittedAt: T0 + 45 * MIN,
      };
      const escalated = {
        ...base,
        key: `it:${randomUUID()}:escalated`,
        severity: 'critical' as const,
        transition: 'escalated' as const,
        emittedAt: T0 + 50 * MIN,
      };
      const cleared = {
        ...base,
        key: `it:${randomUUID()}:cleared`,
        transition: 'cleared' as const,
        endedAt: T0 + 60 * MIN,
        emittedAt: T0 + 61 * MIN,
      };
      await store.alerts.recordAlerts([base, escalated, cleared]);

      const raisedOnly = await json(`/api/v1/alerts?tag=${mac.toLowerCase()}&transition=raised`);
      expect(raisedOnly.body.alerts.map((a: AlertEvent) => a.key)).toContain(base.key);
      expect(
        raisedOnly.body.alerts.every((a: AlertEvent) => a.transition === 'raised' && a.tag === mac),
      ).toBe(true);
      const window = await json(`/api/v1/alerts?tag=${mac}&from=${T0 + 46 * MIN}&to=${T0 + 55 * MIN}`);
      expect(window.body.alerts.map((a: AlertEvent) => a.key)).toEqual([escalated.key]);

      const detail = await json(`/api/v1/alerts/${encodeURIComponent(escalated.key)}`);
      expect(detail.status).toBe(200);
      expect(detail.body.alert.key).toBe(escalated.key);
      expect(detail.body.timeline.map((a: AlertEvent) => a.transition)).toEqual([
        'raised',
        'escalated',
        'cleared',
      ]);
      expect(detail.body).toMatchObject({ deliveries: [], acknowledgements: [] });
      expect((await call(`/api/v1/alerts/${encodeURIComponent(base.key)}`, otherToken)).status).toBe(404);
      expect((await json('/api/v1/alerts?transition=exploded')).status).toBe(400);
      expect((await json('/api/v1/alerts?tag=nope')).status).toBe(400);
    });

    it("exports everything the tenant owns as NDJSON, without secrets, and nothing of another tenant's", async () => {
      const res = await call('/api/v1/export');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      expect(res.headers.get('content-disposition')).toMatch(
        /^attachment; filename="coldchain-export-.+\.ndjson"$/,
      );
      const text = await res.text();
      const lines = text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
      expect(lines[0]).toMatchObject({ type: 'export', v: 1 });
      const of = (type: string) => lines.filter((l) => l.type === type);
      expect(of('hub').map((h) => h.imei)).toContain(imei);
      expect(of('tag').map((t) => t.mac)).toContain(mac);
      expect(of('user').length).toBeGreaterThan(0);
      expect(of('reading').filter((r) => r.tag === mac)).toHaveLength(N + 1);
      expect(of('position').filter((p) => p.hub === imei)).toHaveLength(2);
      expect(text).not.toMatch(/passwordHash|secretHash|scrypt\$/);

      const theirs = await (await call('/api/v1/export', otherToken)).text();
      expect(theirs).not.toContain(mac);
      expect(theirs).not.toContain(imei);
    });

    it('pages the latest readings by tag MAC, each page naming the cursor of the next', async () => {
      // Every demo tag but the charted one (its history is counted by other cases) reads once, now.
      const now = Date.now();
      const others = platform.creds.tags.map((t) => t.mac).filter((m) => m !== mac);
      await publish(others.map((m, i) => ({ tag: m, ts: now - i, temperature: 3 + i / 10 })));

      const first = await json('/api/v1/readings/latest?limit=5');
      expect(first.status).toBe(200);
      expect(first.body.readings).toHaveLength(5);
      expect(first.body.next).toBe(first.body.readings[4].tag);
      // The cursor in another spelling of the MAC is the same cursor.
      const dashed = (first.body.next as string).toLowerCase().replaceAll(':', '-');
      const second = await json(`/api/v1/readings/latest?limit=5&after=${dashed}`);
      expect(second.body.readings[0].tag > first.body.next).toBe(true);
      // The rest in large pages (on InfluxDB the shared demo tenant also holds earlier runs' tags).
      const seen: Array<{ tag: string; ts: number; temperature?: number }> = [
        ...first.body.readings,
        ...second.body.readings,
      ];
      let next: string | null = second.body.next;
      while (next !== null) {
        const page = await json(`/api/v1/readings/latest?limit=2000&after=${next}`);
        seen.push(...page.body.readings);
        next = page.body.next;
      }
      const macs = seen.map((r) => r.tag);
      expect(macs).toEqual([...new Set(macs)].sort());
      others.forEach((m, i) =>
        expect(seen.find((r) => r.tag === m)).toMatchObject({ ts: now - i, temperature: 3 + i / 10 }),
      );
      expect(seen.find((r) => r.tag === mac)).toMatchObject({ ts: T0 + N * MIN });

      expect((await json('/api/v1/readings/latest', otherToken)).body).toEqual({ readings: [], next: null });
      const bad: Array<[string, string]> = [
        ['limit=0', 'limit: expected ≥ 1'],
        ['limit=2001', 'limit: expected ≤ 2000'],
        ['limit=ten', 'limit: expected an integer'],
        ['after=nope', 'after: not a MAC address'],
        ['cursor=x', 'cursor'],
      ];
      for (const [query, problem] of bad) {
        const res = await json(`/api/v1/readings/latest?${query}`);
        expect([query, res.status]).toEqual([query, 400]);
        expect(res.body.problems.join('; ')).toContain(problem);
      }
    });

    it('streams live readings of the tenant over Server-Sent Events, and refuses a stream without a valid token', async () => {
      expect((await call('/api/v1/stream', undefined)).status).toBe(400);
      expect((await call('/api/v1/stream?access_token=forged.token.value', undefined)).status).toBe(401);

      const abort = new AbortController();
      const res = await fetch(`${platform.httpUrl}/api/v1/stream?access_token=${token}`, {
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      const now = Date.now();
      let text = '';
      let published = false;
      try {
        // Read until our reading arrives (bounded by the test timeout); publish once the stream is open.
        for (;;) {
          const chunk = await reader.read();
          expect(chunk.done).toBe(false);
          text += decoder.decode(chunk.value, { stream: true });
          if (!published && text.includes('retry:')) {
            published = true;
            await publish([{ tag: mac, ts: now, temperature: 4.5 }]);
          }
          const frames = text.split('\n\n').filter((f) => f.startsWith('event: reading'));
          const ours = frames
            .map((f): { ts?: number } => JSON.parse(f.split('\ndata: ')[1]) as { ts?: number })
            .find((d) => d.ts === now);
          if (ours) {
            expect(ours).toEqual({ tag: mac, hub: imei, ts: now, temperature: 4.5 });
            break;
          }
        }
      } finally {
        abort.abort();
      }
    }, 30_000);
  });
}

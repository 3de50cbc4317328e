import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHook } from 'node:async_hooks';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubTopic, imeiFromBody, validateTelemetryV1, type TelemetryPayloadV1 } from '@coldchain/contract';
import { BrokerUnreachableError } from '../errors/broker-unreachable.error.js';
import { CredentialsRefusedError } from '../errors/credentials-refused.error.js';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { startTestBroker, type TestBroker } from '../testing/aedes-test-broker.js';
import { waitForBroker } from '../testing/wait-for.js';
import { startFleet, type Fleet, type FleetHubSpec } from './fleet.js';

const HUB_A = imeiFromBody('35693803564380');
const HUB_B = imeiFromBody('35693803564381');
const hubs: FleetHubSpec[] = [
  {
    imei: HUB_A,
    secret: 'secret-a',
    tags: [
      { mac: 'aa:bb:cc:00:00:01', setpointC: 4 },
      { mac: 'AA-BB-CC-00-00-02', setpointC: -18 },
    ],
  },
  { imei: HUB_B, secret: 'secret-b', tags: [{ mac: 'AA:BB:CC:00:00:03' }] },
];
const credentials = new Map(hubs.map((h) => [h.imei, h.secret]));

let broker: TestBroker | undefined;
let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.stop();
  await broker?.close();
  fleet = undefined;
  broker = undefined;
});

const telemetryOf = (b: TestBroker, imei: string): TelemetryPayloadV1[] =>
  b.messages
    .filter((m) => m.topic === hubTopic(imei, 'telemetry'))
    .map((m) => JSON.parse(m.payload.toString()) as TelemetryPayloadV1);

describe('startFleet against an authenticating aedes broker', () => {
  it('publishes valid telemetry v1 with one reading per tag, near each set point, under each hub’s own topic', async () => {
    broker = await startTestBroker({ credentials });
    fleet = await startFleet({ brokerUrl: broker.url, hubs, publishIntervalMs: 100, seed: 7, gps: true });
    const b = broker;
    await waitForBroker(
      b,
      'three messages per hub',
      () => telemetryOf(b, HUB_A).length >= 3 && telemetryOf(b, HUB_B).length >= 3,
    );

    for (const spec of hubs) {
      const payloads = telemetryOf(b, spec.imei);
      payloads.forEach((p, i) => {
        const v = validateTelemetryV1(p, spec.imei);
        expect(v).toMatchObject({ ok: true, rejected: [] });
        expect(p.seq).toBe(i); // per-hub message seq, from 0, no gaps
        // One reading per tag per sampling round; a message carries every round taken since the last one
        // (the first message also carries rounds sampled before the session was up).
        expect(p.readings.length % spec.tags.length).toBe(0);
        expect(new Set(p.readings.map((r) => r.tag)).size).toBe(spec.tags.length);
        expect(p.gps).toEqual(
          expect.objectContaining({
            lat: expect.any(Number),
            lon: expect.any(Number),
            hdop: expect.any(Number),
          }),
        );
      });
    }
    const a = telemetryOf(b, HUB_A);
    const freezer = a.flatMap((p) => p.readings).filter((r) => r.tag === 'AA:BB:CC:00:00:02');
    for (const r of freezer) expect(Math.abs(r.temperature! + 18)).toBeLessThan(0.5);
    // Per-tag rolling counter: consecutive.
    expect(freezer.map((r) => r.seq)).toEqual(freezer.map((_, i) => i));
    // Connected as firmware: clientId khub-<imei>, online retained on the status topic.
    const status = b.messages.filter((m) => m.topic === hubTopic(HUB_A, 'status'));
    expect(status[0]).toMatchObject({ retain: true, qos: 1, clientId: `khub-${HUB_A}` });
    expect(status[0].payload.toString()).toBe('online');
  });

  it('counts every published reading as acknowledged once the broker has PUBACKed it', async () => {
    broker = await startTestBroker({ credentials });
    fleet = await startFleet({ brokerUrl: broker.url, hubs, publishIntervalMs: 100 });
    const b = broker;
    await waitForBroker(
      b,
      'two messages per hub',
      () => telemetryOf(b, HUB_A).length >= 2 && telemetryOf(b, HUB_B).length >= 2,
    );
    await Promise.all(fleet.hubs.map((h) => h.whenDrained()));
    const s = fleet.stats();
    expect(s.acked).toBeGreaterThanOrEqual(4);
    expect(s.readingsAcked).toBeGreaterThanOrEqual(6);
    expect(s.online).toBe(2);
    expect(s.reconnects).toBe(0);
  });

  it('stop() publishes a retained offline status, closes every socket and leaves no timer behind', async () => {
    // Every timer created from here on (ours, mqtt.js's, aedes's) must be gone once stop() and the broker's close resolved.
    // Each live timer maps to where it was created, so a failure names the culprit. The hook is
    // process-wide: timers of the test runner itself (Jest's reporter ticks in-band) are not ours.
    const live = new Map<number, string>();
    const hook = createHook({
      init: (id, type) => {
        if (type !== 'Timeout') return;
        const stack = new Error('timer created').stack ?? '';
        if (!/node_modules\/(@jest\/|jest-)/.test(stack)) live.set(id, stack);
      },
      destroy: (id) => live.delete(id),
    }).enable();
    broker = await startTestBroker({ credentials });
    fleet = await startFleet({ brokerUrl: broker.url, hubs, publishIntervalMs: 100 });
    const b = broker;
    await waitForBroker(b, 'first telemetry', () => telemetryOf(b, HUB_B).length >= 1);
    await fleet.stop();
    fleet = undefined;
    const last = b.messages.filter((m) => m.topic === hubTopic(HUB_B, 'status')).at(-1)!;
    expect(last.payload.toString()).toBe('offline');
    expect(last.retain).toBe(true);
    await waitForBroker(b, 'all clients gone', () => b.connectedClients() === 0);
    await b.close();
    broker = undefined;
    // Destroy hooks of cleared timers run from Node's destroy queue, a few loop turns later and
    // later still on a loaded machine: give them a bounded number of turns (setImmediate is not
    // a Timeout, so waiting creates no timer of its own). A timer still pending stays in `live`.
    for (let turn = 0; turn < 200 && live.size > 0; turn++) await new Promise((r) => setImmediate(r));
    hook.disable();
    expect([...live.values()]).toEqual([]);
  });

  it('obeys a config downlink on khub/{imei}/config', async () => {
    broker = await startTestBroker({ credentials });
    const lines: string[] = [];
    let applied: () => void = () => undefined;
    const configApplied = new Promise<void>((r) => (applied = r));
    const subscribed = new Promise<void>((r) => broker!.aedes.once('subscribe', () => r()));
    fleet = await startFleet({
      brokerUrl: broker.url,
      hubs: [hubs[0]],
      publishIntervalMs: 100,
      log: (l) => {
        lines.push(l);
        if (l.includes('config')) applied();
      },
    });
    await subscribed; // the hub subscribes right after CONNACK
    broker.aedes.publish(
      {
        cmd: 'publish',
        topic: hubTopic(HUB_A, 'config'),
        payload: Buffer.from('{"v":1,"samplingIntervalS":2,"publishIntervalS":30}'),
        qos: 1,
        retain: false,
        dup: false,
      },
      () => undefined,
    );
    await configApplied;
    expect(fleet.hubs[0].intervals).toEqual({ samplingMs: 2000, publishMs: 30_000 });
    expect(lines.some((l) => l.includes(`hub ${HUB_A}: config`))).toBe(true);
  });

  it('rejects with CredentialsRefusedError naming the hub when the broker refuses its secret (CONNACK 4)', async () => {
    broker = await startTestBroker({ credentials });
    const wrong = [{ ...hubs[0], secret: 'not-the-secret' }];
    const err = await startFleet({ brokerUrl: broker.url, hubs: wrong, publishIntervalMs: 100 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CredentialsRefusedError);
    expect((err as CredentialsRefusedError).imeis).toEqual([HUB_A]);
    expect((err as CredentialsRefusedError).message).toContain(HUB_A);
    expect((err as CredentialsRefusedError).returnCode).toBe(4);
    expect((err as CredentialsRefusedError).retriable).toBe(false);
    expect(broker.connectedClients()).toBe(0);
  });

  it('rejects with BrokerUnreachableError when nothing listens on the broker port', async () => {
    broker = await startTestBroker();
    const url = broker.url;
    await broker.close();
    broker = undefined;
    const err = await startFleet({ brokerUrl: url, hubs, publishIntervalMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerUnreachableError);
    expect((err as Error).message).toContain(url);
  });

  it('refuses options it can never honour, naming each problem', async () => {
    const err = await startFleet({
      brokerUrl: 'http://x',
      hubs: [{ imei: '123', secret: '', tags: [{ mac: 'nope' }] }],
      publishIntervalMs: 0,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidOptionError);
    const problems = (err as InvalidOptionError).problems.join('\n');
    for (const field of [
      'brokerUrl',
      'publishIntervalMs',
      'hubs[0].imei',
      'hubs[0].secret',
      'hubs[0].tags[0].mac',
    ])
      expect(problems).toContain(field);
  });
});

describe('startFleet over TLS (mqtts://)', () => {
  let pki: { dir: string; key: Buffer; cert: Buffer } | undefined;
  beforeAll(() => {
    // A throw-away self-signed certificate for 127.0.0.1 (openssl is on the project machines; skip where it is not).
    const dir = mkdtempSync(join(tmpdir(), 'sim-tls-'));
    const r = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    if (r.status === 0)
      pki = { dir, key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  });
  afterAll(() => {
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });

  it('publishes over TLS when given the broker’s CA, and refuses a certificate it cannot verify', async () => {
    if (!pki) return; // no openssl here
    broker = await startTestBroker({ credentials, tls: { key: pki.key, cert: pki.cert } });
    expect(broker.url).toMatch(/^mqtts:/);
    fleet = await startFleet({
      brokerUrl: broker.url,
      hubs: [hubs[0]],
      publishIntervalMs: 100,
      tls: { ca: pki.cert },
    });
    const b = broker;
    await waitForBroker(b, 'telemetry over TLS', () => telemetryOf(b, HUB_A).length >= 1);
    await fleet.stop();
    fleet = undefined;
    const err = await startFleet({ brokerUrl: b.url, hubs: [hubs[1]], publishIntervalMs: 100 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BrokerUnreachableError);
    expect((err as Error).message).toMatch(/self[- ]signed/i);
  });
});

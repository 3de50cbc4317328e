import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hubTopic, imeiFromBody } from '@coldchain/contract';
import { loadNoble } from '../ble/noble-loader.js';
import { startTestBroker, type TestBroker } from '../testing/aedes-test-broker.js';
import { generatedHubImei, generatedTagMac, parseCli } from './args.js';
import { EXIT, main, type SimReport } from './main.js';
import { formatProgress, ProgressReporter } from './progress.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const HUB = imeiFromBody('35693803777770');

let broker: TestBroker | undefined;
let dir: string;
afterEach(async () => {
  await broker?.close();
  broker = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function fakeIo(env: NodeJS.ProcessEnv = {}, signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env,
      signal,
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

function withDataDir(credentials?: unknown): string {
  dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
  if (credentials) writeFileSync(join(dir, 'demo-credentials.json'), JSON.stringify(credentials));
  return dir;
}

const demoCredentials = (secret = 'hub-secret') => ({
  hubs: [{ imei: HUB, secret }],
  tags: [
    { mac: 'aa:bb:cc:dd:ee:01', hub: HUB, profile: { name: 'Vaccines', temperature: { min: 2, max: 8 } } },
    { mac: 'aa:bb:cc:dd:ee:02', hub: HUB, profile: { name: 'Frozen', temperature: { min: -25, max: -15 } } },
  ],
  users: [{ email: 'demo@example.com', password: 'x' }],
});

describe('sim CLI: bad input gives a clear message and a non-zero exit', () => {
  it('refuses an unknown option by name', async () => {
    const f = fakeIo();
    expect(await main(['--hubz', '3'], f.io)).toBe(EXIT.invalidInput);
    expect(f.err()).toMatch(/Unknown option '--hubz'/);
  });

  it('names every bad value at once', async () => {
    const f = fakeIo({ DATA_DIR: withDataDir() });
    expect(
      await main(
        ['--hubs', '0', '--interval', 'soon', '--when-full', 'drop-newest', '--broker', 'http://x'],
        f.io,
      ),
    ).toBe(EXIT.invalidInput);
    for (const flag of ['--hubs', '--interval', '--when-full', '--broker']) expect(f.err()).toContain(flag);
  });

  it('explains a malformed scenario file by field', async () => {
    const d = withDataDir();
    const file = join(d, 'bad.yaml');
    writeFileSync(file, 'name: bad\nduration: 1h\nhubs: [{ id: truck }]\ntags: [{ hub: van }]\n');
    const f = fakeIo({ DATA_DIR: d });
    expect(await main(['--scenario', file], f.io)).toBe(EXIT.invalidInput);
    expect(f.err()).toContain('tags.0.hub: no hub with id "van"');
  });

  it('says the broker is unreachable', async () => {
    broker = await startTestBroker();
    const url = broker.url;
    await broker.close();
    broker = undefined;
    const f = fakeIo({ DATA_DIR: withDataDir() });
    expect(
      await main(
        ['--broker', url, '--anonymous', '--hubs', '2', '--tags-per-hub', '1', '--duration', '1s', '--quiet'],
        f.io,
      ),
    ).toBe(EXIT.brokerUnreachable);
    expect(f.err()).toContain(`MQTT broker ${url} is unreachable`);
  });

  it('says the broker refused the credentials (CONNACK 4), naming the hub', async () => {
    broker = await startTestBroker({ credentials: new Map([[HUB, 'hub-secret']]) });
    const f = fakeIo({ DATA_DIR: withDataDir(demoCredentials('wrong')) });
    expect(await main(['--broker', broker.url, '--duration', '1s', '--quiet'], f.io)).toBe(
      EXIT.credentialsRefused,
    );
    expect(f.err()).toMatch(new RegExp(`refused the credentials of hub ${HUB}.*CONNACK return code 4`));
  });

  it('--ble without a Bluetooth adapter says so plainly (noble throws EAFNOSUPPORT at load time here)', async () => {
    const hasAdapter = await loadNoble().then(
      () => true,
      () => false,
    );
    if (hasAdapter) return; // a machine with Bluetooth: nothing to explain
    broker = await startTestBroker();
    const f = fakeIo({ DATA_DIR: withDataDir() });
    expect(await main(['--ble', '--broker', broker.url, '--anonymous', '--quiet'], f.io)).toBe(
      EXIT.noBluetooth,
    );
    expect(f.err()).toMatch(/no Bluetooth adapter/);
  });
});

describe('sim CLI runs', () => {
  it('fleet mode with demo-credentials.json: publishes, stops after --duration, prints a summary and writes the JSON report', async () => {
    broker = await startTestBroker({ credentials: new Map([[HUB, 'hub-secret']]) });
    const d = withDataDir(demoCredentials());
    const f = fakeIo({ DATA_DIR: d });
    expect(
      await main(['--broker', broker.url, '--interval', '200ms', '--duration', '1s', '--gps'], f.io),
    ).toBe(EXIT.ok);
    const report = JSON.parse(readFileSync(join(d, 'sim-report.json'), 'utf8')) as SimReport;
    expect(report).toMatchObject({
      mode: 'fleet',
      outcome: 'completed',
      hubs: 1,
      tags: 2,
      identities: join(d, 'demo-credentials.json'),
    });
    expect(report.totals.readingsAcked).toBeGreaterThan(0);
    expect(report.maxRssMiB).toBeGreaterThan(0);
    expect(f.out()).toMatch(/fleet completed after/);
    expect(broker.messages.some((m) => m.topic === hubTopic(HUB, 'telemetry'))).toBe(true);
    // Tags come from the credentials file (the platform knows them), set mid-band of their profile.
    const first = JSON.parse(
      broker.messages.find((m) => m.topic === hubTopic(HUB, 'telemetry'))!.payload.toString(),
    );
    const frozen = first.readings.find((r: { tag: string }) => r.tag === 'AA:BB:CC:DD:EE:02');
    expect(Math.abs(frozen.temperature + 20)).toBeLessThan(1);
  });

  it('stops cleanly on SIGINT (abort) and reports the run as interrupted', async () => {
    broker = await startTestBroker();
    const ac = new AbortController();
    const f = fakeIo({ DATA_DIR: withDataDir() }, ac.signal);
    const run = main(
      [
        '--broker',
        broker.url,
        '--anonymous',
        '--hubs',
        '3',
        '--tags-per-hub',
        '2',
        '--interval',
        '100ms',
        '--quiet',
        '--report',
        '-',
      ],
      f.io,
    );
    setTimeout(() => ac.abort(), 500);
    expect(await run).toBe(EXIT.ok);
    expect(f.out()).toMatch(/"outcome": "interrupted"/);
  });

  it('scenario mode plays a file in simulated time and reports it drained', async () => {
    broker = await startTestBroker();
    const d = withDataDir();
    const file = join(d, 'tiny.yaml');
    writeFileSync(
      file,
      'name: tiny\nstart: "2025-01-01T00:00:00Z"\nduration: 2h\nhubs: [{ id: truck, gps: true }]\ntags: [{ hub: truck }, { hub: truck }]\nevents: [{ at: 30m, network: { hub: truck, up: false, for: 30m } }]\n',
    );
    const f = fakeIo({ DATA_DIR: d });
    expect(
      await main(
        ['--scenario', file, '--broker', broker.url, '--anonymous', '--seed', '9', '--report', '-'],
        f.io,
      ),
    ).toBe(EXIT.ok);
    const json = f.out().slice(f.out().indexOf('{'));
    const report = JSON.parse(json) as SimReport & { scenario: { drained: boolean; seed: number } };
    expect(report.scenario).toMatchObject({ drained: true, seed: 9 });
    expect(report.totals).toMatchObject({ readingsAcked: 2 * 121, buffered: 0, reconnects: 1 });
    expect(f.out()).toMatch(/cellular lost for 30m/);
  });

  it('--end-now places a scenario so that it ends now (recent history for dashboards)', async () => {
    broker = await startTestBroker();
    const d = withDataDir();
    const file = join(d, 'hour.yaml');
    writeFileSync(
      file,
      'name: hour\nstart: "2025-01-01T00:00:00Z"\nduration: 1h\nhubs: [{ id: h }]\ntags: [{ hub: h }]\n',
    );
    const before = Date.now();
    const f = fakeIo({ DATA_DIR: d });
    expect(
      await main(['--scenario', file, '--end-now', '--broker', broker.url, '--anonymous', '--quiet'], f.io),
    ).toBe(EXIT.ok);
    const ts = broker.messages
      .filter((m) => m.topic.endsWith('/telemetry'))
      .flatMap((m) =>
        (JSON.parse(m.payload.toString()) as { readings: Array<{ ts: number }> }).readings.map((r) => r.ts),
      );
    expect(ts[0]).toBeGreaterThanOrEqual(before - 3_600_000);
    expect(ts[0]).toBeLessThanOrEqual(Date.now() - 3_600_000);
    expect(ts.at(-1)! - ts[0]).toBe(3_600_000);
  });

  it('--ble-replay publishes the K-TAG readings of a recording through noble, without an adapter', async () => {
    broker = await startTestBroker();
    const f = fakeIo({ DATA_DIR: withDataDir() });
    const recording = join(HERE, '..', 'ble', 'fixtures', 'k-tag-recording.json');
    expect(
      await main(
        ['--ble-replay', recording, '--broker', broker.url, '--anonymous', '--interval', '1s', '--quiet'],
        f.io,
      ),
    ).toBe(EXIT.ok);
    const readings = broker.messages
      .filter((m) => m.topic.endsWith('/telemetry'))
      .flatMap(
        (m) =>
          (JSON.parse(m.payload.toString()) as { readings: Array<{ tag: string; seq: number }> }).readings,
      );
    expect(readings.map((r: { tag: string; seq: number }) => `${r.tag}#${r.seq}`)).toEqual([
      'C4:7F:51:00:10:01#4660',
      'C4:7F:51:00:10:01#4661',
      'C4:7F:51:00:10:02#7',
      'C4:7F:51:00:10:01#65535',
      'C4:7F:51:00:10:01#65537',
    ]);
  });
});

describe('sim CLI options', () => {
  it('--rate sets the interval from hubs × tags ÷ rate, and says it overrides --interval', () => {
    const p = parseCli(
      ['--anonymous', '--hubs', '1000', '--tags-per-hub', '20', '--interval', '5s', '--rate', '8000'],
      { DATA_DIR: '/nonexistent' },
    );
    if (p.help) throw new Error('unexpected');
    expect(p.config.publishIntervalMs).toBe(2500);
    expect(p.config.notes.join()).toMatch(/--rate 8000 sets the interval to 2500 ms/);
  });

  it('refuses more hubs than the credentials file has, unless identities are generated', () => {
    const d = withDataDir(demoCredentials());
    expect(() => parseCli(['--hubs', '5'], { DATA_DIR: d })).toThrow(/lists 1 hub\(s\) but --hubs 5/);
  });

  it('generates distinct valid identities for a large fleet', () => {
    const imeis = new Set(Array.from({ length: 5000 }, (_, i) => generatedHubImei(i)));
    const macs = new Set(Array.from({ length: 5000 }, (_, i) => generatedTagMac(i, i % 1000)));
    expect(imeis.size).toBe(5000);
    expect(macs.size).toBe(5000);
  });

  it('draws a bar on a terminal and writes key=value lines otherwise', () => {
    const snap = {
      sent: 10,
      acked: 9,
      buffered: 3,
      reconnects: 1,
      readingsAcked: 180,
      dropped: 0,
      online: 2,
      hubs: 2,
      fraction: 0.5,
    };
    expect(formatProgress(snap, 40, 61_000, false)).toBe(
      '[############............]  50% 1m1s  sent 10  acked 9  buffered 3  rate 40 r/s  reconnects 1  online 2/2',
    );
    expect(formatProgress(snap, 40, 61_000, true)).toBe(
      'progress t=61s sent=10 acked=9 buffered=3 rate=40/s reconnects=1 online=2/2',
    );
    const tty: string[] = [];
    const r = new ProgressReporter({ write: (s) => tty.push(s), isTTY: true, columns: 200 }, () => snap);
    r.tick();
    r.log('hub X: reconnected');
    r.stop();
    expect(tty.join('')).toContain('\r\x1b[2K[');
    expect(tty.join('')).toContain('hub X: reconnected\n');
  });
});

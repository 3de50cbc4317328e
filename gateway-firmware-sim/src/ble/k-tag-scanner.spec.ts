import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '@coldchain/domain';
import { NoBluetoothAdapterError } from '../errors/no-bluetooth-adapter.error.js';
import { HeardReadingsSource, KTagScanner, type HeardKTag } from './k-tag-scanner.js';
import { explainNobleLoadError, loadNoble } from './noble-loader.js';
import { createRecordedNoble, type RecordedAdvertisement } from './recorded-hci.bindings.js';

const RECORDING = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'k-tag-recording.json'), 'utf8'),
) as {
  reports: RecordedAdvertisement[];
};
const A = 'C4:7F:51:00:10:01';
const B = 'C4:7F:51:00:10:02';

async function scanRecording(reports: RecordedAdvertisement[]) {
  const { noble, finished } = createRecordedNoble(reports);
  const heard: HeardKTag[] = [];
  const clock = new ManualClock(Date.UTC(2025, 2, 3, 6));
  const source = new HeardReadingsSource();
  const scanner = new KTagScanner(noble, {
    clock,
    onTag: (h) => {
      heard.push(h);
      source.push(h);
      clock.advance(1000);
    },
  });
  await scanner.start();
  await finished;
  await scanner.stop();
  return { heard, stats: scanner.stats, source };
}

describe('BLE scanning through noble’s own discovery logic (custom bindings replaying recorded advertisements)', () => {
  it('turns each new K-TAG measurement into one reading and drops repeats of the same counter', async () => {
    const { heard, stats } = await scanRecording(RECORDING.reports);
    expect(heard.map((h) => [h.mac, h.advertisement.counter])).toEqual([
      [A, 0x1234],
      [A, 0x1235],
      [B, 7],
      [A, 0xffff],
      [A, 0x0001],
    ]);
    expect(stats.readings).toBe(5);
    expect(stats.repeats).toBe(4); // A: two copies of 0x1234 and one of 0x0001; B: its scan response
    expect(stats.refused.truncated).toBe(1);
    expect(stats.refused.foreign).toBeGreaterThanOrEqual(2); // the phone's iBeacon and continuity frames
  });

  it('produces contract readings: canonical MAC, decoded values, RSSI as heard, counter unwrapped past 65535', async () => {
    const { heard } = await scanRecording(RECORDING.reports);
    expect(heard[0].reading).toEqual({
      tag: A,
      ts: Date.UTC(2025, 2, 3, 6),
      seq: 0x1234,
      temperature: 4.25,
      humidity: 85.5,
      co2: 512,
      door: 'closed',
      battery: 87,
      rssi: -61,
    });
    expect(heard[2].reading).toMatchObject({ tag: B, seq: 7, temperature: -18.5, door: 'open', battery: 40 });
    expect(heard[2].reading.humidity).toBeUndefined();
    expect(heard[2].reading.co2).toBeUndefined();
    expect(heard.filter((h) => h.mac === A).map((h) => h.reading.seq)).toEqual([
      0x1234, 0x1235, 0xffff, 0x10001,
    ]);
  });

  it('hands the hub everything heard since its last round, once', async () => {
    const { source } = await scanRecording(RECORDING.reports);
    expect(source.collect()).toHaveLength(5);
    expect(source.collect()).toEqual([]);
  });

  it('merges a connectable tag’s advertisement with its scan response, as noble does', async () => {
    const reports = RECORDING.reports.filter((r) => r.address === 'c4:7f:51:00:10:02' && r.eventType !== 3);
    const { noble, finished } = createRecordedNoble(reports);
    const names: Array<string | undefined> = [];
    noble.on('discover', (p) => names.push(p.advertisement.localName));
    const scanner = new KTagScanner(noble, { clock: new ManualClock(0), onTag: () => undefined });
    await scanner.start();
    await finished;
    await scanner.stop();
    // ADV_IND alone is held back until the scan response arrives; the merged peripheral carries both.
    expect(names).toEqual(['K-TAG']);
    expect(scanner.stats.readings).toBe(1);
  });
});

describe('loading noble for --ble', () => {
  it('explains EAFNOSUPPORT (no adapter: noble throws it at load time) instead of crashing', async () => {
    const eaf = Object.assign(new Error('EAFNOSUPPORT, Address family not supported by protocol'), {
      code: 'EAFNOSUPPORT',
    });
    const err = await loadNoble(() => Promise.reject(eaf)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoBluetoothAdapterError);
    expect((err as Error).message).toMatch(/no Bluetooth adapter.*EAFNOSUPPORT.*drop --ble/);
    expect((err as Error).cause).toBe(eaf);
  });

  it.each([
    ['EPERM', /raw HCI socket.*setcap/],
    ['ERR_MODULE_NOT_FOUND', /not installed/],
    ['ENODEV', /missing or down/],
  ])('explains %s', (code, message) => {
    expect(explainNobleLoadError(Object.assign(new Error(code), { code })).message).toMatch(message);
  });

  it('on this machine either loads noble or says plainly why not (never a raw error)', async () => {
    const result = await loadNoble().then(
      () => 'loaded',
      (e: unknown) => e,
    );
    if (result !== 'loaded') expect(result).toBeInstanceOf(NoBluetoothAdapterError);
  });
});

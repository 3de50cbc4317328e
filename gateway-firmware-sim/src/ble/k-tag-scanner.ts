import { normalizeMac } from '@coldchain/contract';
import type { Clock } from '@coldchain/domain';
import {
  decodeKTagAdvertisement,
  type KTagAdvertisement,
  type KTagDecodeFailure,
} from '../codec/k-tag-advertisement.codec.js';
import { NoBluetoothAdapterError } from '../errors/no-bluetooth-adapter.error.js';
import type { WireReading } from '../queue/sample-queue.js';
import type { NobleLike, NoblePeripheralLike } from './noble.types.js';

export interface HeardKTag {
  mac: string;
  advertisement: KTagAdvertisement;
  /** The contract reading: `ts` = hub clock when heard, `seq` = the 16-bit counter unwrapped to a monotonic integer. */
  reading: WireReading;
}

export interface ScannerStats {
  /** Advertisements heard, from any device. */
  heard: number;
  /** K-TAG advertisements carrying a new counter: readings. */
  readings: number;
  /** K-TAG advertisements repeating the last counter (a tag re-advertises each measurement several times). */
  repeats: number;
  /** Refusals by reason (`foreign` are other devices: phones, beacons). */
  refused: Record<KTagDecodeFailure, number>;
}

/** How long to wait for the adapter to report poweredOn, ms. */
const POWER_ON_TIMEOUT_MS = 10_000;

/**
 * Scans for K-TAGs with noble: duplicates allowed at the controller (a tag's
 * advertisement changes with each measurement and filtering would hide the
 * changes), decoded with the K-TAG codec, and de-duplicated here: an
 * advertisement whose rolling counter equals the last one heard from the same
 * MAC is the same measurement again and is dropped.
 */
export class KTagScanner {
  private readonly last = new Map<string, { counter: number; seq: number }>();
  readonly stats: ScannerStats = {
    heard: 0,
    readings: 0,
    repeats: 0,
    refused: { foreign: 0, truncated: 0, unsupported_version: 0, invalid_value: 0 },
  };
  private readonly onDiscover = (p: NoblePeripheralLike) => this.discovered(p);
  private scanning = false;

  constructor(
    private readonly noble: NobleLike,
    private readonly opts: { clock: Clock; onTag: (heard: HeardKTag) => void; log?: (line: string) => void },
  ) {}

  /** Waits for the adapter to be powered on, then scans. Rejects with NoBluetoothAdapterError if it never is. */
  async start(): Promise<void> {
    await this.poweredOn();
    this.noble.on('discover', this.onDiscover);
    await new Promise<void>((resolve, reject) =>
      this.noble.startScanning([], true, (err) =>
        err
          ? reject(new NoBluetoothAdapterError(`BLE mode: scanning did not start: ${err.message}`, err))
          : resolve(),
      ),
    );
    this.scanning = true;
  }

  async stop(): Promise<void> {
    this.noble.removeListener('discover', this.onDiscover);
    if (!this.scanning) return;
    this.scanning = false;
    await new Promise<void>((resolve) => this.noble.stopScanning(() => resolve()));
  }

  private poweredOn(): Promise<void> {
    if (this.noble.state === 'poweredOn') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onState = (state: string) => {
        if (state === 'poweredOn') {
          cleanup();
          resolve();
        } else if (state === 'unsupported' || state === 'unauthorized') {
          cleanup();
          reject(new NoBluetoothAdapterError(`BLE mode: the Bluetooth adapter is ${state}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new NoBluetoothAdapterError(
            `BLE mode: the Bluetooth adapter did not power on within ${POWER_ON_TIMEOUT_MS / 1000} s (state ${this.noble.state})`,
          ),
        );
      }, POWER_ON_TIMEOUT_MS);
      const cleanup = () => {
        clearTimeout(timer);
        this.noble.removeListener('stateChange', onState);
      };
      this.noble.on('stateChange', onState);
    });
  }

  private discovered(p: NoblePeripheralLike): void {
    this.stats.heard++;
    const decoded = decodeKTagAdvertisement(p.advertisement?.manufacturerData);
    if (!decoded.ok) {
      this.stats.refused[decoded.reason]++;
      return;
    }
    const mac = normalizeMac(p.address ?? '');
    if (!mac) {
      // macOS hides addresses behind per-host UUIDs; K-TAG identity is the MAC.
      this.stats.refused.invalid_value++;
      return;
    }
    const ad = decoded.value;
    const prev = this.last.get(mac);
    if (prev && prev.counter === ad.counter) {
      this.stats.repeats++;
      return;
    }
    // Unwrap the 16-bit counter: a smaller value than the last means it wrapped (a tag reboot looks the same, and is harmless).
    const seq =
      prev === undefined ? ad.counter : prev.seq + ((ad.counter - prev.counter + 0x10000) % 0x10000);
    this.last.set(mac, { counter: ad.counter, seq });
    const reading: WireReading = { tag: mac, ts: this.opts.clock.now(), seq };
    if (ad.temperature !== undefined && ad.temperature >= -100 && ad.temperature <= 100)
      reading.temperature = ad.temperature;
    if (ad.humidity !== undefined) reading.humidity = ad.humidity;
    if (ad.co2 !== undefined) reading.co2 = ad.co2;
    if (ad.door !== undefined) reading.door = ad.door;
    if (ad.battery !== undefined) reading.battery = ad.battery;
    if (Number.isFinite(p.rssi) && p.rssi >= -150 && p.rssi <= 20) reading.rssi = p.rssi;
    if (
      reading.temperature === undefined &&
      reading.humidity === undefined &&
      reading.co2 === undefined &&
      reading.door === undefined &&
      reading.battery === undefined
    ) {
      this.stats.refused.invalid_value++; // nothing measured: the contract refuses such a reading (no_measurement)
      return;
    }
    this.stats.readings++;
    this.opts.onTag({ mac, advertisement: ad, reading });
  }
}

/**
 * What a hub publishes in BLE mode: every new K-TAG measurement heard since
 * the last sampling round, in the order heard.
 */
export class HeardReadingsSource {
  private pending: WireReading[] = [];

  push(heard: HeardKTag): void {
    this.pending.push(heard.reading);
  }

  collect(): WireReading[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

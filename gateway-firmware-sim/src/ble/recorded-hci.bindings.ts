import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { explainNobleLoadError } from './noble-loader.js';
import type { NobleLike } from './noble.types.js';

/**
 * One HCI LE Advertising Report as a scanner records it (btmon shows the
 * same fields), replayable through noble's own parsing and discovery code.
 */
export interface RecordedAdvertisement {
  /** Time since the recording started, ms. */
  atMs: number;
  /** Device address, `aa:bb:cc:dd:ee:ff`. */
  address: string;
  addressType?: 'public' | 'random';
  /** LE Advertising Report event type (Core v5.3 Vol 4 Part E §7.7.65.2): 0 ADV_IND, 1 ADV_DIRECT_IND, 2 ADV_SCAN_IND, 3 ADV_NONCONN_IND, 4 SCAN_RSP. */
  eventType: 0 | 1 | 2 | 3 | 4;
  /** Advertising data (AD structures), hex. */
  data: string;
  /** dBm. */
  rssi: number;
}

export interface RecordedNoble {
  /** A real noble instance (its discovery logic, Peripheral objects, duplicate handling). */
  noble: NobleLike;
  /** Resolves once every recorded report has been delivered (after scanning started). */
  finished: Promise<void>;
}

/**
 * Builds noble on custom bindings that replay recorded advertising reports.
 *
 * Only the radio is replaced: the reports go into noble's own HCI GAP layer
 * (lib/hci-socket/gap.js: EIR/AD parsing, scan-response merging,
 * connectable/scannable rules) and from there, through glue equal to noble's
 * hci-socket bindings, into noble's discovery logic (lib/noble.js, via its
 * `with-bindings` entry point). That is what runs in CI without an adapter,
 * and what `--ble-replay` uses for demos.
 *
 * `speed`: recorded ms per real ms (Infinity: back to back).
 */
export function createRecordedNoble(
  recording: RecordedAdvertisement[],
  options: { speed?: number } = {},
): RecordedNoble {
  const require = createRequire(import.meta.url);
  let Gap: new (
    hci: EventEmitter,
  ) => EventEmitter & { startScanning(allowDuplicates: boolean): void; stopScanning(): void };
  let withBindings: (bindings: EventEmitter) => NobleLike;
  try {
    Gap = require('@abandonware/noble/lib/hci-socket/gap.js') as typeof Gap;
    withBindings = require('@abandonware/noble/with-bindings.js') as typeof withBindings;
  } catch (err) {
    throw explainNobleLoadError(err);
  }
  const speed = options.speed ?? Number.POSITIVE_INFINITY;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((r) => (resolveFinished = r));
  const timers = new Set<NodeJS.Timeout>();

  /** Stands where noble's Hci (lib/hci-socket/hci.js) stands: the events and commands GAP uses. */
  class RecordedHci extends EventEmitter {
    private replaying = false;
    init(): void {
      setImmediate(() => {
        this.emit('addressChange', '00:00:00:00:00:00');
        this.emit('stateChange', 'poweredOn');
      });
    }
    setScanParameters(): void {
      setImmediate(() => this.emit('leScanParametersSet'));
    }
    setScanEnabled(enabled: boolean, filterDuplicates: boolean): void {
      this.emit('leScanEnableSetCmd', enabled, filterDuplicates);
      setImmediate(() => {
        this.emit('leScanEnableSet', 0);
        if (enabled && !this.replaying) this.replay();
        if (!enabled) {
          for (const t of timers) clearTimeout(t);
          timers.clear();
        }
      });
    }
    private replay(): void {
      this.replaying = true;
      const report = (r: RecordedAdvertisement) =>
        this.emit(
          'leAdvertisingReport',
          0,
          r.eventType,
          r.address.toLowerCase(),
          r.addressType ?? 'public',
          Buffer.from(r.data, 'hex'),
          r.rssi,
        );
      if (!Number.isFinite(speed)) {
        let i = 0;
        const next = () => {
          if (i >= recording.length) return resolveFinished();
          report(recording[i++]);
          setImmediate(next);
        };
        next();
        return;
      }
      let left = recording.length;
      if (left === 0) resolveFinished();
      for (const r of recording) {
        const t = setTimeout(() => {
          timers.delete(t);
          report(r);
          if (--left === 0) resolveFinished();
        }, r.atMs / speed);
        timers.add(t);
      }
    }
  }

  /** The glue of noble's hci-socket NobleBindings, for scanning only. */
  class RecordedBindings extends EventEmitter {
    private readonly hci = new RecordedHci();
    private readonly gap = new Gap(this.hci);
    private scanServiceUuids: string[] | undefined;
    init(): void {
      this.gap.on('scanStart', (filterDuplicates: boolean) => this.emit('scanStart', filterDuplicates));
      this.gap.on('scanStop', () => this.emit('scanStop'));
      this.gap.on(
        'discover',
        (
          _status: number,
          address: string,
          addressType: string,
          connectable: boolean,
          advertisement: unknown,
          rssi: number,
          scannable: boolean,
        ) => {
          if (this.scanServiceUuids === undefined) return;
          this.emit(
            'discover',
            address.split(':').join(''),
            address,
            addressType,
            connectable,
            advertisement,
            rssi,
            scannable,
          );
        },
      );
      this.hci.on('stateChange', (s: string) => this.emit('stateChange', s));
      this.hci.on('addressChange', (a: string) => this.emit('addressChange', a));
      this.hci.init();
    }
    setScanParameters(): void {
      this.hci.setScanParameters();
    }
    startScanning(serviceUuids: string[] | undefined, allowDuplicates: boolean): void {
      this.scanServiceUuids = serviceUuids ?? [];
      this.gap.startScanning(allowDuplicates);
    }
    stopScanning(): void {
      this.gap.stopScanning();
    }
    reset(): void {}
  }

  return { noble: withBindings(new RecordedBindings()), finished };
}

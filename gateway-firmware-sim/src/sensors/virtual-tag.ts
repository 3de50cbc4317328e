import type { EpochMs } from '@coldchain/domain';
import { DEFAULTS } from '../defaults.js';
import type { WireReading } from '../queue/sample-queue.js';
import type { SeededRandom } from '../random/seeded-random.js';
import { THERMAL_DEFAULTS, ThermalModel, type ThermalParams } from './thermal.model.js';

export interface VirtualTagSpec {
  /** BLE MAC, canonical `AA:BB:CC:DD:EE:FF`. */
  mac: string;
  /** Reefer set point, °C. */
  setpointC?: number;
  /** Outside temperature, °C. */
  ambientC?: number;
  /** Overrides of the thermal model. */
  thermal?: Partial<Omit<ThermalParams, 'setpointC' | 'ambientC'>>;
  /** Target relative humidity inside with the door closed, %RH (produce ~90, pharma ~50). */
  humidityPct?: number;
  /** Outside relative humidity, %RH. */
  ambientHumidityPct?: number;
  /** Whether the tag has a CO2 sensor. */
  co2?: boolean;
  /** CO2 produced by the load (produce respiration), ppm/h; 0 for inert goods. */
  co2RespirationPpmPerH?: number;
  /** Battery at start, %. */
  batteryStartPct?: number;
  /** Battery spent per measurement, % (a CR2477 lasts ~5 years at one advertisement a second). */
  batteryPerMeasurementPct?: number;
  /** Counter of the first measurement (a tag's rolling counter survives hub changes). */
  firstSeq?: number;
}

/** Outside CO2, ppm. */
const AMBIENT_CO2_PPM = 420;
/** Air exchange of CO2 and humidity with the door closed / open, 1/h. */
const EXCHANGE_CLOSED_PER_H = 0.5;
const EXCHANGE_OPEN_PER_H = 20;
/** Time constant of the humidity control toward its target with the door closed, hours. */
const HUMIDITY_TAU_H = 1 / 6;
/** Below this battery level a tag stops advertising, %. */
const BATTERY_DEAD_PCT = 0;

/**
 * A simulated K-TAG: a thermal model, humidity, CO2, door contact, battery,
 * and its rolling measurement counter. World time drives it (`measure(at)`);
 * the hub that hears it stamps the reading with its own clock.
 */
export class VirtualTag {
  readonly mac: string;
  readonly thermal: ThermalModel;
  private humidity: number;
  private co2: number;
  private battery: number;
  private seq: number;
  private lastAt: EpochMs;
  private readonly spec: Required<
    Omit<VirtualTagSpec, 'thermal' | 'setpointC' | 'ambientC' | 'mac' | 'firstSeq'>
  >;

  constructor(
    spec: VirtualTagSpec,
    startAt: EpochMs,
    private readonly random: SeededRandom,
  ) {
    this.mac = spec.mac;
    const setpointC = spec.setpointC ?? DEFAULTS.setpointC;
    const ambientC = spec.ambientC ?? DEFAULTS.ambientC;
    this.thermal = new ThermalModel({ ...THERMAL_DEFAULTS, ...spec.thermal, setpointC, ambientC }, startAt);
    this.spec = {
      humidityPct: spec.humidityPct ?? 85,
      ambientHumidityPct: spec.ambientHumidityPct ?? 55,
      co2: spec.co2 ?? true,
      co2RespirationPpmPerH: spec.co2RespirationPpmPerH ?? 40,
      batteryStartPct: spec.batteryStartPct ?? random.uniform(70, 100),
      batteryPerMeasurementPct: spec.batteryPerMeasurementPct ?? 0.00005,
    };
    this.humidity = this.spec.humidityPct;
    this.co2 = AMBIENT_CO2_PPM + this.spec.co2RespirationPpmPerH / EXCHANGE_CLOSED_PER_H; // closed-door equilibrium
    this.battery = this.spec.batteryStartPct;
    this.seq = spec.firstSeq ?? 0;
    this.lastAt = startAt;
  }

  get doorOpen(): boolean {
    return this.thermal.doorOpen;
  }

  setDoor(open: boolean, at: EpochMs): void {
    this.advanceTo(at);
    this.thermal.doorOpen = open;
  }

  setCompressor(ok: boolean, at: EpochMs): void {
    this.advanceTo(at);
    this.thermal.compressorOk = ok;
  }

  setBattery(pct: number, drainPerMeasurementPct?: number): void {
    this.battery = pct;
    if (drainPerMeasurementPct !== undefined) this.spec.batteryPerMeasurementPct = drainPerMeasurementPct;
  }

  get batteryPct(): number {
    return this.battery;
  }

  /** False once the battery is flat: the tag no longer advertises. */
  get alive(): boolean {
    return this.battery > BATTERY_DEAD_PCT;
  }

  /** The rolling counter of the next measurement. */
  get nextSeq(): number {
    return this.seq;
  }

  /**
   * Takes one measurement at world time `at`, stamped `stampedAt` (hub clock).
   * Undefined when the battery is flat (a dead tag is silent).
   */
  measure(at: EpochMs, stampedAt: EpochMs): WireReading | undefined {
    this.advanceTo(at);
    if (!this.alive) return undefined;
    const r = this.random;
    const reading: WireReading = {
      tag: this.mac,
      ts: stampedAt,
      seq: this.seq++,
      temperature: round(clamp(this.thermal.probeC + r.normal(0, DEFAULTS.temperatureNoiseC), -100, 100), 2),
      humidity: round(clamp(this.humidity + r.normal(0, 0.5), 0, 100), 1),
      door: this.thermal.doorOpen ? 'open' : 'closed',
      battery: Math.max(0, Math.round(this.battery)),
      rssi: Math.round(clamp(r.normal(DEFAULTS.rssiMeanDbm, 4), -110, -30)),
    };
    if (this.spec.co2) reading.co2 = Math.round(clamp(this.co2 + r.normal(0, 8), 0, 100_000));
    this.battery = Math.max(0, this.battery - this.spec.batteryPerMeasurementPct);
    return reading;
  }

  /** Advances thermal, humidity and CO2 state to world time `at`. */
  advanceTo(at: EpochMs): void {
    const dtH = (at - this.lastAt) / 3_600_000;
    if (dtH <= 0) return;
    this.lastAt = at;
    this.thermal.advanceTo(at);
    const open = this.thermal.doorOpen;
    // Exact exponential relaxation (stable for any step).
    const exch = open ? EXCHANGE_OPEN_PER_H : EXCHANGE_CLOSED_PER_H;
    const rhTarget = open ? this.spec.ambientHumidityPct : this.spec.humidityPct;
    const rhRate = open ? EXCHANGE_OPEN_PER_H : 1 / HUMIDITY_TAU_H;
    this.humidity = rhTarget + (this.humidity - rhTarget) * Math.exp(-rhRate * dtH);
    // CO2: dC/dt = R − exch·(C − Camb)  →  equilibrium Camb + R/exch.
    const co2Eq = AMBIENT_CO2_PPM + this.spec.co2RespirationPpmPerH / exch;
    this.co2 = co2Eq + (this.co2 - co2Eq) * Math.exp(-exch * dtH);
  }
}

const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v));
const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

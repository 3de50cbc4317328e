import type { EpochMs } from '@coldchain/domain';

/**
 * A two-node lumped thermal model of a refrigerated space (reefer trailer or
 * cold room) and the load a K-TAG sits against.
 *
 *   air:  dTa/dt = leak − cooling
 *         leak    = (kWall + door·kDoor) · (Tamb − Ta)                 [°C/h]
 *         cooling = compressorOk ? clamp(leak + gain·(Ta − Tset), 0, coolMax) : 0
 *   load: dTl/dt = (Ta − Tl) / tauLoad
 *
 * The controller cancels the leak and pulls the air to the set point, up to
 * the unit's capacity: with the door open the leak exceeds the capacity and
 * the air warms toward Tamb − coolMax/(kWall + kDoor); with a failed
 * compressor it relaxes to ambient with time constant 1/kWall. The load lags
 * the air (product mass), so a short door opening barely moves it while a
 * door left open warms it. The probe reads a mix of load and air.
 *
 * Integrated with explicit Euler in sub-steps of at most `maxStepS`, which is
 * stable while maxStepS·(kWall + kDoor + gain)/3600 ≪ 1.
 */
export interface ThermalParams {
  /** Reefer set point, °C. */
  setpointC: number;
  /** Outside temperature, °C. */
  ambientC: number;
  /** Heat leak through walls, 1/h (inverse of the warm-up time constant with the compressor off). */
  wallConductancePerH: number;
  /** Extra exchange with the outside while the door is open, 1/h. */
  doorConductancePerH: number;
  /** Refrigeration capacity, °C/h of air temperature it can remove. */
  coolingMaxCPerH: number;
  /** Proportional gain of the unit's controller, 1/h. */
  controllerGainPerH: number;
  /** Time constant of the load following the air, hours. */
  loadTimeConstantH: number;
  /** Share of the air temperature in what the probe reads (0 = load only, 1 = air only). */
  probeAirWeight: number;
}

export const THERMAL_DEFAULTS: Omit<ThermalParams, 'setpointC' | 'ambientC'> = {
  wallConductancePerH: 0.5, // warm-up time constant 2 h with the unit off
  doorConductancePerH: 12, // air exchange ~5 min with the door open
  coolingMaxCPerH: 30,
  controllerGainPerH: 6,
  loadTimeConstantH: 0.5, // 30 min
  probeAirWeight: 0.15, // a probe among the cartons, shielded from the air stream
};

/** Largest Euler sub-step, seconds. */
const maxStepS = 10;

export interface ThermalState {
  airC: number;
  loadC: number;
}

export class ThermalModel {
  private airC: number;
  private loadC: number;
  private lastAt: EpochMs;
  doorOpen = false;
  compressorOk = true;

  constructor(
    readonly params: ThermalParams,
    startAt: EpochMs,
    initial?: Partial<ThermalState>,
  ) {
    this.airC = initial?.airC ?? params.setpointC;
    this.loadC = initial?.loadC ?? params.setpointC;
    this.lastAt = startAt;
  }

  /** Integrates up to `at` (epoch ms); earlier times are ignored (time never runs back). */
  advanceTo(at: EpochMs): void {
    let remainingS = (at - this.lastAt) / 1000;
    if (remainingS <= 0) return;
    this.lastAt = at;
    const p = this.params;
    while (remainingS > 0) {
      const dtH = Math.min(maxStepS, remainingS) / 3600;
      remainingS -= maxStepS;
      const k = p.wallConductancePerH + (this.doorOpen ? p.doorConductancePerH : 0);
      const leak = k * (p.ambientC - this.airC);
      const cooling = this.compressorOk
        ? Math.min(p.coolingMaxCPerH, Math.max(0, leak + p.controllerGainPerH * (this.airC - p.setpointC)))
        : 0;
      const air = this.airC + (leak - cooling) * dtH;
      this.loadC += ((this.airC - this.loadC) / p.loadTimeConstantH) * dtH;
      this.airC = air;
    }
  }

  get state(): ThermalState {
    return { airC: this.airC, loadC: this.loadC };
  }

  /** What a probe against the load reads, °C, before sensor noise. */
  get probeC(): number {
    return this.loadC + this.params.probeAirWeight * (this.airC - this.loadC);
  }

  setAmbient(ambientC: number): void {
    this.params.ambientC = ambientC;
  }

  setSetpoint(setpointC: number): void {
    this.params.setpointC = setpointC;
  }
}

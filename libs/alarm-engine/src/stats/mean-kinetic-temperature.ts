import { ALARM_ENGINE_DEFAULTS } from '../alarm-engine.defaults.js';

/** 0 °C in kelvin. */
export const ZERO_CELSIUS_K = 273.15;

/**
 * One sample's term of the MKT sum: e^(−ΔH/(R·T)), T in kelvin. The engine
 * accumulates these per tag and per trip, so MKT costs one `Math.exp` per
 * reading and no history.
 */
export function mktTerm(celsius: number, activationEnergyOverRK: number): number {
  return Math.exp(-activationEnergyOverRK / (celsius + ZERO_CELSIUS_K));
}

/**
 * Mean kinetic temperature from an accumulated sum:
 * T = (ΔH/R) / −ln(Σ e^(−ΔH/(R·Tᵢ)) / n), kelvin, returned in °C.
 * NaN when n = 0.
 */
export function mktFromSum(sum: number, n: number, activationEnergyOverRK: number): number {
  if (n === 0) return Number.NaN;
  return activationEnergyOverRK / -Math.log(sum / n) - ZERO_CELSIUS_K;
}

/**
 * Mean kinetic temperature of equally spaced samples, °C, with
 * ΔH/R = 10,000 K unless told otherwise. See docs/alarm-engine.md for a worked
 * example.
 */
export function meanKineticTemperature(
  celsius: readonly number[],
  activationEnergyOverRK: number = ALARM_ENGINE_DEFAULTS.mktActivationEnergyOverRK,
): number {
  let sum = 0;
  for (const c of celsius) sum += mktTerm(c, activationEnergyOverRK);
  return mktFromSum(sum, celsius.length, activationEnergyOverRK);
}

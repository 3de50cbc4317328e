/**
 * Device identities of the telemetry contract v1.
 *
 * - K-TAG: a BLE MAC address (EUI-48). Accepted spellings: `aa:bb:cc:dd:ee:ff`,
 *   `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff` (Cisco dotted), `aabbccddeeff` (bare).
 *   Normalised to upper-case colon form `AA:BB:CC:DD:EE:FF`.
 * - K-HUB: an IMEI, 15 decimal digits whose last digit is the Luhn check
 *   digit over the first 14 (3GPP TS 23.003 §6.2.1 and Annex B).
 */

const MAC_COLON = /^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}$/;
const MAC_DOTTED = /^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/;
const MAC_BARE = /^[0-9A-Fa-f]{12}$/;
const MAC_CANONICAL = /^[0-9A-F]{2}(?::[0-9A-F]{2}){5}$/;

/** Returns the canonical `AA:BB:CC:DD:EE:FF` form, or undefined when `input` is no MAC spelling we accept. */
export function normalizeMac(input: string): string | undefined {
  if (MAC_CANONICAL.test(input)) return input; // fast path: hubs are asked to send this form
  let hex: string;
  if (MAC_COLON.test(input)) hex = input.replace(/[:-]/g, '');
  else if (MAC_DOTTED.test(input)) hex = input.replace(/\./g, '');
  else if (MAC_BARE.test(input)) hex = input;
  else return undefined;
  hex = hex.toUpperCase();
  return `${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}:${hex.slice(8, 10)}:${hex.slice(10, 12)}`;
}

/** Luhn check digit of a string of decimal digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // Double every second digit counting from the right of the payload (the check digit's left neighbour first).
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for 15 decimal digits whose last digit is the Luhn check digit of the first 14. */
export function isValidImei(input: string): boolean {
  if (input.length !== 15) return false;
  for (let i = 0; i < 15; i++) {
    const c = input.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return luhnCheckDigit(input.slice(0, 14)) === input.charCodeAt(14) - 48;
}

/** Completes a 14-digit TAC+serial with its Luhn check digit (used by seeding and the simulator). */
export function imeiFromBody(body14: string): string {
  if (!/^\d{14}$/.test(body14)) throw new TypeError(`IMEI body must be 14 digits, got "${body14}"`);
  return body14 + String(luhnCheckDigit(body14));
}

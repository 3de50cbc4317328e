/**
 * K-TAG advertisement format, version 1 (docs/k-tag-advertisement.md).
 *
 * A K-TAG broadcasts its measurements in BLE legacy advertising PDUs as
 * Manufacturer Specific Data (AD type 0xFF, Core Specification Supplement
 * Part A §1.4). Multi-byte fields are little-endian, as everywhere in BLE.
 *
 *   offset size field
 *        0    2 company identifier, uint16 LE (0xFFFF until one is assigned by the Bluetooth SIG)
 *        2    1 format version (1)
 *        3    1 flags: bit0 door sensor fitted, bit1 door open, bit2 low battery,
 *                      bit3 sensor fault, bits 4–7 reserved (sent 0, ignored)
 *        4    2 temperature, int16 LE, centi-degrees Celsius; 0x8000 = not available
 *        6    1 relative humidity, uint8, half-percent steps (0…200 = 0…100 %RH); 0xFF = n/a
 *        7    2 CO2, uint16 LE, ppm; 0xFFFF = n/a
 *        9    1 battery, uint8, percent (0…100); 0xFF = n/a
 *       10    2 rolling counter, uint16 LE: +1 per new measurement, wraps at 65536
 *   (12 bytes; a later version may append fields: a v1 decoder ignores trailing bytes)
 *
 * The decoder never throws on air data: a foreign, truncated or unknown
 * advertisement is a value with a reason, because a scanner hears every BLE
 * device around (phones, beacons, other vendors' tags).
 */

/** Company identifier written by K-TAGs. 0xFFFF is the SIG's value for tests before an assignment. */
export const KTAG_COMPANY_ID = 0xffff;
export const KTAG_FORMAT_VERSION = 1;
/** Length of a version 1 payload, company identifier included, bytes. */
export const KTAG_V1_LENGTH = 12;

export const KTAG_FLAGS = {
  doorSensor: 0x01,
  doorOpen: 0x02,
  lowBattery: 0x04,
  sensorFault: 0x08,
} as const;

const TEMP_NA = -0x8000;
const HUMIDITY_NA = 0xff;
const CO2_NA = 0xffff;
const BATTERY_NA = 0xff;

/** The measurements a K-TAG advertisement carries. Absent fields were sent as "not available". */
export interface KTagAdvertisement {
  version: number;
  /** °C, two decimals. */
  temperature?: number;
  /** %RH, 0.5 steps. */
  humidity?: number;
  /** ppm. */
  co2?: number;
  /** %. */
  battery?: number;
  /** Undefined when no door sensor is fitted. */
  door?: 'open' | 'closed';
  lowBattery: boolean;
  sensorFault: boolean;
  /** Rolling counter, 0…65535. */
  counter: number;
}

export type KTagDecodeFailure =
  /** Not a K-TAG: no manufacturer data, or another company identifier. Expected and frequent. */
  | 'foreign'
  /** Our company identifier but shorter than the version's length (a clipped PDU). */
  | 'truncated'
  /** A format version this decoder does not know. */
  | 'unsupported_version'
  /** A field outside its encodable range (humidity > 200 half-percent, battery > 100 %). */
  | 'invalid_value';

export type KTagDecodeResult =
  { ok: true; value: KTagAdvertisement } | { ok: false; reason: KTagDecodeFailure; detail: string };

/** Decodes noble's `advertisement.manufacturerData` (company identifier first). */
export function decodeKTagAdvertisement(data: Buffer | Uint8Array | undefined): KTagDecodeResult {
  if (!data || data.length < 2) return { ok: false, reason: 'foreign', detail: 'no manufacturer data' };
  const b = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const company = b.readUInt16LE(0);
  if (company !== KTAG_COMPANY_ID)
    return {
      ok: false,
      reason: 'foreign',
      detail: `company identifier 0x${company.toString(16).padStart(4, '0')}`,
    };
  if (b.length < 3) return { ok: false, reason: 'truncated', detail: `${b.length} bytes, no format version` };
  const version = b[2];
  if (version !== KTAG_FORMAT_VERSION)
    return { ok: false, reason: 'unsupported_version', detail: `format version ${version}` };
  if (b.length < KTAG_V1_LENGTH)
    return { ok: false, reason: 'truncated', detail: `${b.length} bytes, version 1 needs ${KTAG_V1_LENGTH}` };

  const flags = b[3];
  const t = b.readInt16LE(4);
  const h = b[6];
  const c = b.readUInt16LE(7);
  const bat = b[9];
  if (h !== HUMIDITY_NA && h > 200)
    return { ok: false, reason: 'invalid_value', detail: `humidity byte ${h} > 200` };
  if (bat !== BATTERY_NA && bat > 100)
    return { ok: false, reason: 'invalid_value', detail: `battery ${bat} % > 100` };

  const value: KTagAdvertisement = {
    version,
    lowBattery: (flags & KTAG_FLAGS.lowBattery) !== 0,
    sensorFault: (flags & KTAG_FLAGS.sensorFault) !== 0,
    counter: b.readUInt16LE(10),
  };
  if (t !== TEMP_NA) value.temperature = t / 100;
  if (h !== HUMIDITY_NA) value.humidity = h / 2;
  if (c !== CO2_NA) value.co2 = c;
  if (bat !== BATTERY_NA) value.battery = bat;
  if (flags & KTAG_FLAGS.doorSensor) value.door = flags & KTAG_FLAGS.doorOpen ? 'open' : 'closed';
  return { ok: true, value };
}

/** Fields to encode; out-of-range values are clamped to the encodable range and rounded to its resolution. */
export interface KTagFields {
  temperature?: number;
  humidity?: number;
  co2?: number;
  battery?: number;
  door?: 'open' | 'closed';
  lowBattery?: boolean;
  sensorFault?: boolean;
  /** Any integer; encoded modulo 65536. */
  counter: number;
}

/** Encodes manufacturer data (company identifier first), as a K-TAG's firmware would. */
export function encodeKTagAdvertisement(f: KTagFields): Buffer {
  const b = Buffer.alloc(KTAG_V1_LENGTH);
  b.writeUInt16LE(KTAG_COMPANY_ID, 0);
  b[2] = KTAG_FORMAT_VERSION;
  let flags = 0;
  if (f.door !== undefined) flags |= KTAG_FLAGS.doorSensor | (f.door === 'open' ? KTAG_FLAGS.doorOpen : 0);
  if (f.lowBattery) flags |= KTAG_FLAGS.lowBattery;
  if (f.sensorFault) flags |= KTAG_FLAGS.sensorFault;
  b[3] = flags;
  b.writeInt16LE(
    f.temperature === undefined ? TEMP_NA : clampInt(Math.round(f.temperature * 100), -0x7fff, 0x7fff),
    4,
  );
  b[6] = f.humidity === undefined ? HUMIDITY_NA : clampInt(Math.round(f.humidity * 2), 0, 200);
  b.writeUInt16LE(f.co2 === undefined ? CO2_NA : clampInt(Math.round(f.co2), 0, 0xfffe), 7);
  b[9] = f.battery === undefined ? BATTERY_NA : clampInt(Math.round(f.battery), 0, 100);
  b.writeUInt16LE(((f.counter % 0x10000) + 0x10000) % 0x10000, 10);
  return b;
}

/** AD types used in a K-TAG advertising PDU (Bluetooth Assigned Numbers, "Common Data Types"). */
const AD_FLAGS = 0x01;
const AD_COMPLETE_LOCAL_NAME = 0x09;
const AD_MANUFACTURER_SPECIFIC = 0xff;
/** LE General Discoverable Mode | BR/EDR Not Supported. */
const FLAGS_LE_GENERAL_NO_BREDR = 0x06;
/** Legacy advertising data holds at most 31 bytes (Core v5.3 Vol 6 Part B §2.3.1). */
export const LEGACY_ADV_DATA_MAX_BYTES = 31;

/**
 * The whole advertising data (a sequence of length-type-value AD structures)
 * a K-TAG sends: Flags, Manufacturer Specific Data, and a local name if it fits.
 */
export function encodeKTagAdvertisingData(manufacturerData: Buffer, localName?: string): Buffer {
  const parts = [
    Buffer.from([2, AD_FLAGS, FLAGS_LE_GENERAL_NO_BREDR]),
    Buffer.concat([Buffer.from([manufacturerData.length + 1, AD_MANUFACTURER_SPECIFIC]), manufacturerData]),
  ];
  let used = parts[0].length + parts[1].length;
  if (localName) {
    const name = Buffer.from(localName, 'utf8').subarray(0, LEGACY_ADV_DATA_MAX_BYTES - used - 2);
    if (name.length > 0) {
      parts.push(Buffer.concat([Buffer.from([name.length + 1, AD_COMPLETE_LOCAL_NAME]), name]));
      used += name.length + 2;
    }
  }
  return Buffer.concat(parts);
}

const clampInt = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v));

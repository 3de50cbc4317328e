import type { KTagAdvertisement, KTagDecodeFailure } from './k-tag-advertisement.codec.js';

/**
 * Byte fixtures of K-TAG manufacturer data (company identifier first, as
 * noble hands it over), written out by hand from docs/k-tag-advertisement.md.
 * Shared by the codec spec and the BLE scanner spec.
 */
export const VALID_FIXTURES: Array<{ name: string; hex: string; value: KTagAdvertisement }> = [
  {
    name: 'reefer probe, door closed: 4.25 °C, 85.5 %RH, 512 ppm, 87 %, counter 0x1234',
    hex: 'ffff' + '01' + '01' + 'a901' + 'ab' + '0002' + '57' + '3412',
    value: {
      version: 1,
      temperature: 4.25,
      humidity: 85.5,
      co2: 512,
      battery: 87,
      door: 'closed',
      lowBattery: false,
      sensorFault: false,
      counter: 0x1234,
    },
  },
  {
    name: 'freezer, door open, low battery, no humidity or CO2 sensor: −18.5 °C, 8 %, counter 65535',
    hex: 'ffff' + '01' + '07' + 'c6f8' + 'ff' + 'ffff' + '08' + 'ffff',
    value: {
      version: 1,
      temperature: -18.5,
      battery: 8,
      door: 'open',
      lowBattery: true,
      sensorFault: false,
      counter: 65535,
    },
  },
  {
    name: 'sensor fault, temperature not available, no door sensor, zeros elsewhere',
    hex: 'ffff' + '01' + '08' + '0080' + '00' + '0000' + '64' + '0000',
    value: {
      version: 1,
      humidity: 0,
      co2: 0,
      battery: 100,
      lowBattery: false,
      sensorFault: true,
      counter: 0,
    },
  },
  {
    name: 'trailing bytes of a later extension are ignored',
    hex: 'ffff' + '01' + '01' + 'a901' + 'ab' + '0002' + '57' + '3412' + 'dead',
    value: {
      version: 1,
      temperature: 4.25,
      humidity: 85.5,
      co2: 512,
      battery: 87,
      door: 'closed',
      lowBattery: false,
      sensorFault: false,
      counter: 0x1234,
    },
  },
  {
    name: 'reserved flag bits set by a newer tag are ignored',
    hex: 'ffff' + '01' + 'f0' + 'a901' + 'ab' + '0002' + '57' + '3412',
    value: {
      version: 1,
      temperature: 4.25,
      humidity: 85.5,
      co2: 512,
      battery: 87,
      lowBattery: false,
      sensorFault: false,
      counter: 0x1234,
    },
  },
];

export const INVALID_FIXTURES: Array<{ name: string; hex: string; reason: KTagDecodeFailure }> = [
  { name: 'no manufacturer data at all', hex: '', reason: 'foreign' },
  { name: 'a single byte', hex: 'ff', reason: 'foreign' },
  {
    name: 'an Apple iBeacon (company 0x004C)',
    hex: '4c000215fda50693a4e24fb1afcfc6eb0764782500010002c5',
    reason: 'foreign',
  },
  { name: 'a Microsoft CDP beacon (company 0x0006)', hex: '0600010920022a', reason: 'foreign' },
  { name: 'our company identifier only', hex: 'ffff', reason: 'truncated' },
  { name: 'clipped after the temperature', hex: 'ffff0101a901', reason: 'truncated' },
  { name: 'one byte short of version 1', hex: 'ffff0101a901ab00025734', reason: 'truncated' },
  { name: 'format version 2', hex: 'ffff0201a901ab0002573412', reason: 'unsupported_version' },
  { name: 'format version 0', hex: 'ffff0001a901ab0002573412', reason: 'unsupported_version' },
  { name: 'humidity byte 201 (over 100 %RH)', hex: 'ffff0101a901c90002573412', reason: 'invalid_value' },
  { name: 'battery 101 %', hex: 'ffff0101a901ab0002653412', reason: 'invalid_value' },
];

/**
 * Whole advertising data of a K-TAG as a scanner records it (btmon / HCI LE
 * Advertising Report "data"): Flags (LE General Discoverable, no BR/EDR),
 * Manufacturer Specific Data (the first valid fixture), Complete Local Name "K-TAG".
 */
export const RECORDED_ADV_DATA_HEX = '020106' + '0dff' + 'ffff0101a901ab0002573412' + '0609' + '4b2d544147';

import { describe, expect, it } from '@jest/globals';
import { imeiFromBody, isValidImei, luhnCheckDigit, normalizeMac } from './identities.js';

describe('K-TAG MAC normalisation', () => {
  it.each([
    ['aa:bb:cc:dd:ee:ff', 'AA:BB:CC:DD:EE:FF'],
    ['AA-BB-CC-DD-EE-FF', 'AA:BB:CC:DD:EE:FF'],
    ['aabb.ccdd.eeff', 'AA:BB:CC:DD:EE:FF'],
    ['aAbBcCdDeEfF', 'AA:BB:CC:DD:EE:FF'],
    ['C0:FF:EE:00:00:01', 'C0:FF:EE:00:00:01'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(normalizeMac(input)).toBe(canonical);
  });

  it.each([
    ['mixed separators', 'aa:bb-cc:dd:ee:ff'],
    ['too short', 'aa:bb:cc:dd:ee'],
    ['non-hex digit', 'aa:bb:cc:dd:ee:fg'],
    ['empty', ''],
    ['bare with 11 digits', 'aabbccddeef'],
    ['trailing space', 'aa:bb:cc:dd:ee:ff '],
  ])('refuses %s', (_why, input) => {
    expect(normalizeMac(input)).toBeUndefined();
  });
});

describe('K-HUB IMEI (Luhn)', () => {
  // 49015420323751 is the worked example of 3GPP TS 23.003 Annex B; its check digit is 8.
  it('computes the check digit of the 3GPP worked example', () => {
    expect(luhnCheckDigit('49015420323751')).toBe(8);
    expect(isValidImei('490154203237518')).toBe(true);
  });

  it('refuses a wrong check digit, wrong lengths and non-digits', () => {
    expect(isValidImei('490154203237519')).toBe(false);
    expect(isValidImei('49015420323751')).toBe(false);
    expect(isValidImei('4901542032375180')).toBe(false);
    expect(isValidImei('49015420323751a')).toBe(false);
  });

  it('completes any 14-digit body into a valid IMEI', () => {
    for (const body of ['35000000000000', '86001234567890', '00000000000000']) {
      const imei = imeiFromBody(body);
      expect(imei).toHaveLength(15);
      expect(isValidImei(imei)).toBe(true);
    }
    expect(() => imeiFromBody('123')).toThrow(TypeError);
  });
});

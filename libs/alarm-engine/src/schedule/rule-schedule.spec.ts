import { describe, expect, it } from '@jest/globals';
import { CompiledSchedule, parseClockTime, TimeZoneOffsets } from './rule-schedule.js';

const utc = (iso: string): number => Date.parse(iso);

describe('rule schedules', () => {
  it('finds the UTC offset of a zone on both sides of a DST change (Europe/Paris, 2026-03-29)', () => {
    const paris = new TimeZoneOffsets('Europe/Paris');
    expect(paris.offsetAt(utc('2026-03-29T00:59:00Z'))).toBe(60 * 60_000);
    expect(paris.offsetAt(utc('2026-03-29T01:00:00Z'))).toBe(120 * 60_000);
    expect(paris.offsetAt(utc('2026-10-25T00:59:00Z'))).toBe(120 * 60_000);
    expect(paris.offsetAt(utc('2026-10-25T01:00:00Z'))).toBe(60 * 60_000);
    expect(new TimeZoneOffsets('Asia/Kathmandu').offsetAt(utc('2026-01-01T00:00:00Z'))).toBe(
      (5 * 60 + 45) * 60_000,
    );
  });

  it('judges office hours in local time, across the DST change', () => {
    const office = new CompiledSchedule(
      { timeZone: 'Europe/Paris', windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }] },
      new TimeZoneOffsets('Europe/Paris'),
    );
    // Friday 27 March (CET, UTC+1) and Monday 30 March (CEST, UTC+2).
    expect(office.isActive(utc('2026-03-27T06:59:00Z'))).toBe(false); // 07:59 local
    expect(office.isActive(utc('2026-03-27T07:00:00Z'))).toBe(true); // 08:00 local
    expect(office.isActive(utc('2026-03-27T16:59:00Z'))).toBe(true); // 17:59 local
    expect(office.isActive(utc('2026-03-27T17:00:00Z'))).toBe(false); // 18:00 local
    expect(office.isActive(utc('2026-03-28T10:00:00Z'))).toBe(false); // Saturday
    expect(office.isActive(utc('2026-03-30T05:59:00Z'))).toBe(false); // 07:59 local
    expect(office.isActive(utc('2026-03-30T06:00:00Z'))).toBe(true); // 08:00 local
  });

  it('runs a window past midnight into the next day, Sunday night into Monday', () => {
    const nights = new CompiledSchedule(
      { timeZone: 'UTC', windows: [{ days: [7], from: '22:00', to: '06:00' }] },
      new TimeZoneOffsets('UTC'),
    );
    expect(nights.isActive(utc('2026-01-04T21:59:00Z'))).toBe(false); // Sunday
    expect(nights.isActive(utc('2026-01-04T22:00:00Z'))).toBe(true);
    expect(nights.isActive(utc('2026-01-05T05:59:00Z'))).toBe(true); // Monday
    expect(nights.isActive(utc('2026-01-05T06:00:00Z'))).toBe(false);
  });

  it('parses HH:MM and refuses anything else', () => {
    expect(parseClockTime('00:00')).toBe(0);
    expect(parseClockTime('24:00')).toBe(1440);
    expect(parseClockTime('17:45')).toBe(1065);
    expect(parseClockTime('24:01')).toBeUndefined();
    expect(parseClockTime('7:00')).toBeUndefined();
  });
});

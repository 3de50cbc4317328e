import { describe, expect, it } from '@jest/globals';
import { openAlerts, SILENT_AFTER_MS, tagStatus, type AlertEvent, type Profile } from './model';

const alert = (over: Partial<AlertEvent>): AlertEvent => ({
  v: 1,
  key: 'k',
  tenantId: 't',
  profileId: 'p',
  profileVersion: 1,
  tag: 'AA:00:00:00:00:01',
  hub: '356938035643809',
  rule: 'temperature.high',
  severity: 'critical',
  transition: 'raised',
  startedAt: 1000,
  late: false,
  emittedAt: 1000,
  ...over,
});

const vaccines: Profile = {
  id: 'p',
  tenantId: 't',
  name: 'Vaccines',
  version: 1,
  temperature: { min: 2, max: 8 },
};
const now = 10_000_000;

describe('openAlerts', () => {
  it('keeps, per tag and rule, the newest transition unless it cleared', () => {
    const open = openAlerts([
      alert({ key: 'a', rule: 'temperature.high', transition: 'raised', emittedAt: 1 }),
      alert({ key: 'b', rule: 'temperature.high', transition: 'cleared', emittedAt: 2 }),
      alert({ key: 'c', rule: 'temperature.low', transition: 'raised', emittedAt: 3 }),
      alert({ key: 'd', tag: 'AA:00:00:00:00:02', transition: 'escalated', emittedAt: 4 }),
    ]);
    expect(open.get('AA:00:00:00:00:01')?.map((a) => a.key)).toEqual(['c']);
    expect(open.get('AA:00:00:00:00:02')?.map((a) => a.key)).toEqual(['d']);
  });

  it('does not depend on the order the alerts come in', () => {
    const raised = alert({ key: 'a', transition: 'raised', emittedAt: 1 });
    const cleared = alert({ key: 'b', transition: 'cleared', emittedAt: 2 });
    expect(openAlerts([cleared, raised]).size).toBe(0);
    expect(openAlerts([raised, cleared]).size).toBe(0);
  });
});

describe('tagStatus', () => {
  const reading = (temperature: number, age = 0) => ({
    tenantId: 't',
    tag: 't',
    hub: 'h',
    ts: now - age,
    receivedAt: now - age,
    temperature,
  });

  it('is critical or warning while an alert of that severity is open, whatever the reading', () => {
    expect(tagStatus(reading(5), [alert({ severity: 'critical' })], vaccines, now)).toBe('critical');
    expect(tagStatus(reading(5), [alert({ severity: 'warning' })], vaccines, now)).toBe('warning');
    expect(tagStatus(undefined, [alert({ severity: 'warning' })], vaccines, now)).toBe('warning');
  });

  it('is silent without a recent reading', () => {
    expect(tagStatus(undefined, undefined, vaccines, now)).toBe('silent');
    expect(tagStatus(reading(5, SILENT_AFTER_MS + 1), undefined, vaccines, now)).toBe('silent');
  });

  it('is a warning outside the band before any alert, in range inside it (bounds inclusive)', () => {
    expect(tagStatus(reading(8.1), [], vaccines, now)).toBe('warning');
    expect(tagStatus(reading(1.9), [], vaccines, now)).toBe('warning');
    expect(tagStatus(reading(8), [], vaccines, now)).toBe('ok');
    expect(tagStatus(reading(2), [], vaccines, now)).toBe('ok');
    expect(tagStatus(reading(30), [], undefined, now)).toBe('ok');
  });
});

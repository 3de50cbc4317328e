import { describe, expect, it } from '@jest/globals';
import type { AlertEvent } from '@coldchain/domain';
import { alertEvent } from '../../../../test/fixtures/alert-event.fixture.js';
import type { Contact } from './contact.js';
import { localClock, nextLocalTime } from './local-time.js';
import { escalationChain, onCallAt, type OnCallRotation } from './on-call.js';
import { inQuietHours, quietHoursEndAt } from './quiet-hours.js';
import { TenantRateLimiter, applyRateLimit } from './rate-limit.js';
import { DEFAULT_ROUTING_POLICY, planAlert, type RoutingInput } from './routing-policy.js';
import { StormGrouper, renderStormSms, stormAlertEvent } from './storm.js';

const MIN = 60_000;
const utc = (iso: string): number => Date.parse(iso);

const berlin: Contact = {
  id: 'dana',
  tenantId: 'acme',
  name: 'Dana',
  email: 'd@x',
  phone: '+491',
  timeZone: 'Europe/Berlin',
  quietHours: { start: '22:00', end: '07:00' },
};
const newYork: Contact = {
  id: 'sam',
  tenantId: 'acme',
  name: 'Sam',
  email: 's@x',
  phone: '+1212',
  timeZone: 'America/New_York',
};
const tokyo: Contact = {
  id: 'kei',
  tenantId: 'acme',
  name: 'Kei',
  email: 'k@x',
  phone: '+813',
  timeZone: 'Asia/Tokyo',
};
const everyone = [berlin, newYork, tokyo];

describe('local time', () => {
  it.each([
    ['2025-03-04T13:05:00Z', 'Europe/Berlin', 2, 14 * 60 + 5],
    ['2025-07-04T13:05:00Z', 'Europe/Berlin', 5, 15 * 60 + 5], // CEST
    ['2025-03-04T03:00:00Z', 'America/New_York', 1, 22 * 60], // Monday evening there
    ['2025-03-04T20:00:00Z', 'Asia/Tokyo', 3, 5 * 60],
  ])('%s in %s is weekday %i, minute %i', (iso, tz, weekday, minute) => {
    expect(localClock(utc(iso), tz)).toEqual({ weekday, minuteOfDay: minute });
  });

  it.each([
    ['plain day', '2025-03-04T20:00:00Z', 'Europe/Berlin', 7 * 60, '2025-03-05T06:00:00Z'],
    [
      'across spring-forward night (Berlin, 30 Mar 2025)',
      '2025-03-29T22:00:00Z',
      'Europe/Berlin',
      7 * 60,
      '2025-03-30T05:00:00Z',
    ],
    [
      'across fall-back night (Berlin, 26 Oct 2025)',
      '2025-10-25T21:00:00Z',
      'Europe/Berlin',
      7 * 60,
      '2025-10-26T06:00:00Z',
    ],
    ['later today', '2025-03-04T13:05:00Z', 'Europe/Berlin', 22 * 60, '2025-03-04T21:00:00Z'],
  ])('next local time: %s', (_case, from, tz, target, expected) => {
    expect(new Date(nextLocalTime(utc(from), tz, target)).toISOString()).toBe(
      new Date(utc(expected)).toISOString(),
    );
  });
});

describe("on-call rotation in each contact's time zone", () => {
  // Follow-the-sun: Berlin days, New York evenings, Tokyo nights for Europe; weekends Berlin all day.
  const rotation: OnCallRotation = {
    shifts: [
      { contactId: 'dana', days: [1, 2, 3, 4, 5], start: '08:00', end: '19:00' },
      { contactId: 'sam', days: [1, 2, 3, 4, 5], start: '12:00', end: '20:00' }, // 18:00–02:00 Berlin in winter
      { contactId: 'kei', days: [2, 3, 4, 5, 6], start: '10:00', end: '16:00' }, // 02:00–08:00 Berlin in winter
      { contactId: 'dana', days: [6, 0], start: '00:00', end: '00:00' },
    ],
    fallbackContactIds: ['sam'],
  };
  it.each([
    ['Tue 09:00 Berlin', '2025-03-04T08:00:00Z', ['dana']],
    ['Tue 18:30 Berlin = 12:30 New York: Dana and Sam overlap', '2025-03-04T17:30:00Z', ['dana', 'sam']],
    ['Tue 21:00 Berlin = 15:00 New York', '2025-03-04T20:00:00Z', ['sam']],
    ['Wed 03:00 Berlin = 11:00 Tokyo', '2025-03-05T02:00:00Z', ['kei']],
    ['Sat 12:00 Berlin: weekend all-day shift', '2025-03-08T11:00:00Z', ['dana']],
    ['Mon 07:30 Berlin: nobody, fallback', '2025-03-03T06:30:00Z', ['sam']],
  ])('%s', (_case, iso, ids) => {
    expect(onCallAt(rotation, everyone, utc(iso)).map((c) => c.id)).toEqual(ids);
  });

  it('keeps a night shift on local time across DST: 22:00–06:00 Berlin', () => {
    const night: OnCallRotation = {
      shifts: [{ contactId: 'dana', days: [0, 1, 2, 3, 4, 5, 6], start: '22:00', end: '06:00' }],
    };
    expect(onCallAt(night, everyone, utc('2025-01-15T21:30:00Z')).map((c) => c.id)).toEqual(['dana']); // 22:30 CET
    expect(onCallAt(night, everyone, utc('2025-07-15T20:30:00Z')).map((c) => c.id)).toEqual(['dana']); // 22:30 CEST
    expect(onCallAt(night, everyone, utc('2025-07-15T04:30:00Z')).map((c) => c.id)).toEqual([]); // 06:30 CEST
  });

  it('builds the chain from whoever is on call, then the profile contacts, each once', () => {
    const chain = escalationChain(rotation, [tokyo, berlin], everyone, utc('2025-03-04T08:00:00Z'));
    expect(chain.map((c) => c.id)).toEqual(['dana', 'kei']);
  });
});

describe('quiet hours', () => {
  it.each([
    ['21:59 Berlin', '2025-03-04T20:59:00Z', false, undefined],
    ['22:00 Berlin', '2025-03-04T21:00:00Z', true, '2025-03-05T06:00:00Z'],
    ['03:00 Berlin', '2025-03-05T02:00:00Z', true, '2025-03-05T06:00:00Z'],
    ['07:00 Berlin', '2025-03-05T06:00:00Z', false, undefined],
  ])('%s: quiet=%s', (_case, iso, quiet, end) => {
    expect(inQuietHours(berlin, utc(iso))).toBe(quiet);
    expect(quietHoursEndAt(berlin, utc(iso))).toBe(end === undefined ? undefined : utc(end));
  });
});

describe('planAlert', () => {
  const T0 = utc('2025-03-04T13:05:00Z'); // 14:05 Berlin
  const base = (over: Partial<RoutingInput> & { alert?: AlertEvent }): RoutingInput => ({
    alert: alertEvent(),
    policy: DEFAULT_ROUTING_POLICY,
    chain: [berlin, newYork, tokyo],
    firstRoutedAt: T0,
    acknowledged: false,
    now: T0,
    ...over,
  });
  const summary = (input: RoutingInput) => {
    const plan = planAlert(input);
    return {
      targets: plan.targets.map((t) => `${t.step}:${t.contact.id}:${t.channel}`),
      deferred: plan.deferred.map(
        (d) => `${d.target.contact.id}:${d.target.channel}@${new Date(d.notBefore).toISOString()}`,
      ),
      next: plan.nextStepAt === undefined ? undefined : (plan.nextStepAt - input.firstRoutedAt) / MIN,
    };
  };

  it.each([
    [
      'warning by day: email to the first person',
      { alert: alertEvent({ severity: 'warning' }) },
      ['0:dana:email'],
      [],
      undefined,
    ],
    [
      'warning at night: held until quiet hours end',
      { alert: alertEvent({ severity: 'warning' }), now: utc('2025-03-04T22:30:00Z') },
      [],
      ['dana:email@2025-03-05T06:00:00.000Z'],
      undefined,
    ],
    [
      'critical at night: not held',
      { now: utc('2025-03-04T22:30:00Z'), firstRoutedAt: utc('2025-03-04T22:30:00Z') },
      ['0:dana:email', '0:dana:sms'],
      [],
      15,
    ],
    ['critical at once: email + SMS, voice due in 15 min', {}, ['0:dana:email', '0:dana:sms'], [], 15],
    [
      'critical unacked 15 min: voice call to the first person',
      { now: T0 + 15 * MIN },
      ['0:dana:email', '0:dana:sms', '1:dana:voice'],
      [],
      25,
    ],
    [
      'critical unacked 25 min: next person on all channels',
      { now: T0 + 25 * MIN },
      ['0:dana:email', '0:dana:sms', '1:dana:voice', '2:sam:email', '2:sam:sms', '2:sam:voice'],
      [],
      35,
    ],
    [
      'critical unacked 2 h: the whole chain, nothing further pending',
      { now: T0 + 120 * MIN },
      [
        '0:dana:email',
        '0:dana:sms',
        '1:dana:voice',
        '2:sam:email',
        '2:sam:sms',
        '2:sam:voice',
        '3:kei:email',
        '3:kei:sms',
        '3:kei:voice',
      ],
      [],
      undefined,
    ],
    [
      'critical acknowledged: escalation stops',
      { now: T0 + 120 * MIN, acknowledged: true },
      ['0:dana:email', '0:dana:sms'],
      [],
      undefined,
    ],
    [
      'cleared: emailed to whoever was notified',
      { alert: alertEvent({ transition: 'cleared' }), notified: [berlin, newYork] },
      ['0:dana:email', '0:sam:email'],
      [],
      undefined,
    ],
    ['nobody to tell', { chain: [] }, [], [], undefined],
  ] as Array<[string, Partial<RoutingInput>, string[], string[], number | undefined]>)(
    '%s',
    (_case, over, targets, deferred, next) => {
      expect(summary(base(over))).toEqual({ targets, deferred, next });
    },
  );

  it("follows the tenant's own severity map", () => {
    const policy = {
      ...DEFAULT_ROUTING_POLICY,
      channelsBySeverity: { warning: ['email', 'webhook'], critical: ['sms'] },
    } as const;
    expect(summary(base({ policy, alert: alertEvent({ severity: 'warning' }) })).targets).toEqual([
      '0:dana:email',
      '0:dana:webhook',
    ]);
    expect(summary(base({ policy, now: T0 + 25 * MIN })).targets).toEqual([
      '0:dana:sms',
      '1:dana:voice',
      '2:sam:sms',
      '2:sam:voice',
    ]);
  });
});

describe('rate limit per tenant', () => {
  it('turns SMS over budget into email and refills as the window slides', () => {
    const limiter = new TenantRateLimiter({ windowMs: 60 * MIN, perWindow: { sms: 2 } });
    const t = (id: string) => ({ contact: { ...berlin, id }, channel: 'sms' as const, step: 0 });
    const T = utc('2025-03-04T13:00:00Z');
    const first = applyRateLimit('acme', [t('a'), t('b'), t('c')], limiter, T);
    expect(first.targets.map((x) => `${x.contact.id}:${x.channel}`)).toEqual(['a:sms', 'b:sms', 'c:email']);
    expect(first.limited.map((x) => x.contact.id)).toEqual(['c']);
    expect(applyRateLimit('other-tenant', [t('d')], limiter, T).targets[0].channel).toBe('sms');
    expect(applyRateLimit('acme', [t('e')], limiter, T + 59 * MIN).targets[0].channel).toBe('email');
    expect(applyRateLimit('acme', [t('f')], limiter, T + 60 * MIN).targets[0].channel).toBe('sms');
  });
});

describe('alert storm grouping', () => {
  const T = utc('2025-03-04T13:05:00Z');
  const onTruck = (i: number, hub = 'truck-7'): AlertEvent =>
    alertEvent({ key: `k${i}`, tag: `AA:00:00:00:00:${String(i).padStart(2, '0')}`, hub, value: 9 + i / 10 });

  it('sends the first alert of a quiet hub at once and folds the next ones into one summary per window', () => {
    const g = new StormGrouper(2 * MIN);
    expect(g.offer(onTruck(1), T)).toEqual({ kind: 'send' });
    const decisions = Array.from({ length: 39 }, (_, i) => g.offer(onTruck(i + 2), T + 1000 * (i + 1)));
    expect(decisions.every((d) => d.kind === 'held')).toBe(true);
    expect(g.offer(onTruck(50, 'cold-room'), T + 5000)).toEqual({ kind: 'send' });
    expect(g.nextFlushAt()).toBe(T + 2 * MIN);
    expect(g.flushDue(T + 2 * MIN - 1)).toEqual([]);
    const [group, ...others] = g.flushDue(T + 2 * MIN);
    expect(others).toEqual([]);
    expect(group.alerts).toHaveLength(39);
    expect(group.key).toBe(`storm|acme|truck-7|${T}`);
  });

  it('keeps holding while the storm lasts and forgets the hub after a quiet window', () => {
    const g = new StormGrouper(2 * MIN);
    g.offer(onTruck(1), T);
    g.offer(onTruck(2), T + MIN);
    expect(g.flushDue(T + 2 * MIN)).toHaveLength(1);
    expect(g.offer(onTruck(3), T + 3 * MIN)).toEqual({
      kind: 'held',
      groupKey: `storm|acme|truck-7|${T + 3 * MIN}`,
      flushAt: T + 5 * MIN,
    });
    expect(g.flushDue(T + 5 * MIN)[0].alerts.map((a) => a.key)).toEqual(['k3']);
    expect(g.flushDue(T + 7 * MIN)).toEqual([]); // nothing held in the last window
    expect(g.flushDue(T + 7 * MIN)).toEqual([]);
    expect(g.offer(onTruck(4), T + 30 * MIN)).toEqual({ kind: 'send' });
  });

  it('summarises forty tags in one GSM-7 segment with the ack code', () => {
    const alerts = Array.from({ length: 40 }, (_, i) => onTruck(i + 1));
    const group = { key: 'storm|acme|truck-7|1', tenantId: 'acme', hub: 'truck-7', alerts, openedAt: T };
    const sms = renderStormSms(group, {
      hubName: 'Truck 7',
      tagName: (mac) => `Pallet ${mac.slice(-2)}`,
      timeZone: 'Europe/Berlin',
      ackCode: '4821',
    });
    expect(sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(sms.text).toMatch(
      /^CRIT 40 tags on Truck 7 since 14:05 CET: Pallet 01 9\.1C, Pallet 02 9\.2C, .*, \+\d+ more\. Reply ACK 4821$/,
    );
    expect(stormAlertEvent(group)).toMatchObject({ key: 'storm|acme|truck-7|1', severity: 'critical' });
  });
});

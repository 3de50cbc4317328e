import { beforeEach, describe, expect, it } from '@jest/globals';
import { ManualClock, type AlertEvent, type EpochMs } from '@coldchain/domain';
import { alertEvent } from '../../../../test/fixtures/alert-event.fixture.js';
import { InMemoryAckAuditLog } from '../ack/in-memory-ack-audit.adapter.js';
import { createAckToken } from '../ack/ack-link.js';
import { ackCodeFor } from '../ack/ack-reply.js';
import { AckLinkError } from '../ack/acknowledge.js';
import { DeliveryService, deliveryKey } from '../delivery/delivery.service.js';
import { InMemoryDeliveryLog } from '../delivery/in-memory-delivery-log.adapter.js';
import { silentLogger } from '../notifications.logger.js';
import { routingDirectoryFrom } from '../routing/routing-directory.js';
import { StormGrouper } from '../routing/storm.js';
import { FakeChannel, channelMap } from '../testing/fake-channel.js';
import { AlertNotifier, type Scheduler } from './alert-notifier.js';

const MIN = 60_000;
const SECRET = 'k'.repeat(32);
const T0 = Date.UTC(2025, 2, 4, 13, 6);

/** Runs due jobs when the test advances the manual clock. */
class ManualScheduler implements Scheduler {
  jobs: Array<{ at: EpochMs; fn: () => void; cancelled: boolean }> = [];
  at(when: EpochMs, fn: () => void): () => void {
    const job = { at: when, fn, cancelled: false };
    this.jobs.push(job);
    return () => {
      job.cancelled = true;
    };
  }
  pending(): EpochMs[] {
    return this.jobs.filter((j) => !j.cancelled).map((j) => j.at);
  }
  runDue(now: EpochMs): number {
    const due = this.jobs.filter((j) => !j.cancelled && j.at <= now);
    this.jobs = this.jobs.filter((j) => !due.includes(j));
    for (const j of due) j.fn();
    return due.length;
  }
}

const routing = {
  tenants: {
    acme: {
      contacts: [
        {
          id: 'dana',
          name: 'Dana',
          email: 'dana@acme.test',
          phone: '+4915112345678',
          timeZone: 'Europe/Berlin',
        },
        {
          id: 'sam',
          name: 'Sam',
          email: 'sam@acme.test',
          phone: '+4915112345679',
          timeZone: 'Europe/Berlin',
        },
      ],
      defaultContacts: ['dana', 'sam'],
    },
  },
};

describe('AlertNotifier', () => {
  let clock: ManualClock;
  let scheduler: ManualScheduler;
  let log: InMemoryDeliveryLog;
  let acks: InMemoryAckAuditLog;
  let email: FakeChannel;
  let sms: FakeChannel;
  let voice: FakeChannel;
  let notifier: AlertNotifier;

  beforeEach(() => {
    clock = new ManualClock(T0);
    scheduler = new ManualScheduler();
    log = new InMemoryDeliveryLog();
    acks = new InMemoryAckAuditLog();
    [email, sms, voice] = [new FakeChannel('email'), new FakeChannel('sms'), new FakeChannel('voice')];
    const directory = routingDirectoryFrom(routing, {
      voiceAfterUnackedMs: 15 * MIN,
      nextPersonAfterUnackedMs: 10 * MIN,
    });
    notifier = new AlertNotifier({
      delivery: new DeliveryService({
        channels: channelMap(email, sms, voice),
        log,
        clock,
        logger: silentLogger,
      }),
      log,
      acks,
      directory: () => directory,
      names: (a) => ({
        tagName: `Tag ${a.tag.slice(-2)}`,
        profileName: 'Vaccines',
        tenantName: 'Acme',
        hubName: 'Truck 7',
      }),
      clock,
      ackSecret: SECRET,
      publicBaseUrl: 'https://cc.example',
      scheduler,
      storm: new StormGrouper(2 * MIN),
      logger: silentLogger,
    });
  });

  /** Advances the clock and runs the timers that fell due, waiting for what they started. */
  async function advanceTo(at: EpochMs): Promise<void> {
    clock.set(at);
    scheduler.runDue(at);
    await notifier.idle();
  }

  const to = (c: FakeChannel) => c.sent.map((m) => m.recipient.contactId);

  it('emails and texts the first person, phones them after 15 min, then alerts the next person', async () => {
    const alert = alertEvent({ tenantId: 'acme' });
    const first = await notifier.handle(alert);
    expect(first).toMatchObject({ sent: ['0:dana:email', '0:dana:sms'], nextStepAt: T0 + 15 * MIN });
    expect(email.sent[0].rendered.email.text).toContain('https://cc.example/ack?token=');
    expect(sms.sent[0].rendered.sms.text).toContain(`ACK ${ackCodeFor(SECRET, alert.key, 'dana')}`);

    await advanceTo(T0 + 15 * MIN);
    expect(to(voice)).toEqual(['dana']);
    expect(scheduler.pending()).toEqual([T0 + 25 * MIN]);
    await advanceTo(T0 + 25 * MIN);
    expect(to(email)).toEqual(['dana', 'sam']);
    expect(to(sms)).toEqual(['dana', 'sam']);
    expect(to(voice)).toEqual(['dana', 'sam']);
    expect(scheduler.pending()).toEqual([]); // nobody left in the chain
  });

  it('stops escalation when the SMS reply acknowledges, and records who, how and the comment', async () => {
    const alert = alertEvent({ tenantId: 'acme' });
    await notifier.handle(alert);
    const code = ackCodeFor(SECRET, alert.key, 'dana');
    const answer = await notifier.onInboundSms({
      messageSid: 'SMin',
      from: '+4915112345678',
      to: '+15005550006',
      body: `ACK ${code} moving stock`,
    });
    expect(answer).toBe('Acknowledged. Escalation stopped.');
    expect(await acks.listAcks(alert.key)).toEqual([
      expect.objectContaining({ actor: 'dana', via: 'sms', comment: 'moving stock', at: T0 }),
    ]);
    expect(scheduler.pending()).toEqual([]);
    // Even a timer that fired anyway (another process's, a redelivery) re-plans to nothing new.
    const again = await notifier.handle(alert);
    expect(again).toMatchObject({ acknowledged: true, sent: [] });
    expect(voice.sent).toHaveLength(0);
  });

  it('sends a reminder of an unacknowledged alert, and none once the episode was acknowledged', async () => {
    const raised = alertEvent({ tenantId: 'acme' });
    await notifier.handle(raised);
    clock.set(T0 + 3 * MIN); // past the storm window: the reminder's SMS goes on its own
    const reminder1 = alertEvent({ tenantId: 'acme', key: `${raised.key}:r1`, transition: 'reminder' });
    expect((await notifier.handle(reminder1)).sent).toEqual(['0:dana:email', '0:dana:sms']);
    await notifier.acknowledge({ alertKey: reminder1.key, tenantId: 'acme', actor: 'dana', via: 'api' });
    const reminder2 = alertEvent({ tenantId: 'acme', key: `${raised.key}:r2`, transition: 'reminder' });
    expect(await notifier.handle(reminder2)).toMatchObject({ acknowledged: true, sent: [] });
    expect(scheduler.pending()).toEqual([]);
    expect(email.sent).toHaveLength(2);
  });

  it('answers a reply whose code matches nothing without acknowledging', async () => {
    await notifier.handle(alertEvent({ tenantId: 'acme' }));
    const answer = await notifier.onInboundSms({
      messageSid: 'x',
      from: '+4915112345678',
      to: '',
      body: 'ACK 0000x',
    });
    expect(answer).toContain('Reply ACK');
    expect(
      await notifier.onInboundSms({ messageSid: 'y', from: '+4915112345678', to: '', body: 'ACK 99999' }),
    ).toContain('has code 99999');
  });

  it('acknowledges by keypad 1 on the alert call', async () => {
    const alert = alertEvent({ tenantId: 'acme' });
    await notifier.handle(alert);
    const spoken = await notifier.onGather({
      callSid: 'CA1',
      digits: '1',
      idempotencyKey: deliveryKey(alert.key, 'dana', 'sms'),
    });
    expect(spoken).toContain('acknowledged');
    expect(await acks.firstAck(alert.key)).toMatchObject({ actor: 'dana', via: 'voice' });
  });

  it('refuses expired and forged ack links with a named error, and honours a valid one', async () => {
    const alert = alertEvent({ tenantId: 'acme' });
    await notifier.handle(alert);
    const expired = createAckToken(SECRET, { alertKey: alert.key, contactId: 'dana', expiresAt: T0 - 1 });
    await expect(notifier.acknowledgeByToken(expired)).rejects.toMatchObject({ code: 'ack_link_expired' });
    const forged = createAckToken('another-secret-another-secret-xx', {
      alertKey: alert.key,
      contactId: 'dana',
      expiresAt: T0 + MIN,
    });
    await expect(notifier.acknowledgeByToken(forged)).rejects.toBeInstanceOf(AckLinkError);
    await expect(notifier.acknowledgeByToken(forged)).rejects.toMatchObject({ code: 'ack_link_invalid' });
    expect(await acks.firstAck(alert.key)).toBeUndefined();
    const valid = createAckToken(SECRET, { alertKey: alert.key, contactId: 'dana', expiresAt: T0 + MIN });
    const { entry } = await notifier.acknowledgeByToken(valid, 'on it');
    expect(entry).toMatchObject({
      alertKey: alert.key,
      tenantId: 'acme',
      actor: 'dana',
      via: 'link',
      comment: 'on it',
    });
  });

  it('folds a storm on one hub into one summary SMS, and its acknowledgement covers every alert in it', async () => {
    const onTruck = (i: number): AlertEvent =>
      alertEvent({ tenantId: 'acme', key: `k${i}`, tag: `AA:00:00:00:00:${String(i).padStart(2, '0')}` });
    await notifier.handle(onTruck(1));
    for (let i = 2; i <= 10; i++) {
      clock.advance(1000);
      expect((await notifier.handle(onTruck(i))).heldForStorm).toBe(true);
    }
    expect(sms.sent).toHaveLength(1);
    expect(email.sent).toHaveLength(10); // emails stay per alert
    await advanceTo(T0 + 2 * MIN + 1000);
    expect(sms.sent).toHaveLength(2);
    const summary = sms.sent[1];
    expect(summary.rendered.sms.text).toMatch(/^CRIT 9 tags on Truck 7 .* Reply ACK \d{4}$/);
    expect(summary.rendered.sms.segments).toBe(1);

    const answer = await notifier.onInboundSms({
      messageSid: 'r',
      from: '+4915112345678',
      to: '',
      body: `ACK ${summary.rendered.ackCode}`,
    });
    expect(answer).toBe('Acknowledged. Escalation stopped.');
    for (let i = 2; i <= 10; i++) expect(await acks.firstAck(`k${i}`)).toMatchObject({ via: 'sms' });
    expect(await acks.firstAck('k1')).toBeUndefined();
  });
});

import { beforeEach, describe, expect, it } from '@jest/globals';
import { ManualClock } from '@coldchain/domain';
import { silentLogger } from '../notifications.logger.js';
import { renderAlert } from '../render/alert.renderer.js';
import type { Contact } from '../routing/contact.js';
import { alertEvent, renderContext } from '../../../../test/fixtures/alert-event.fixture.js';
import { FakeChannel, channelMap } from '../testing/fake-channel.js';
import { backoffDelayMs } from './backoff.js';
import { DeliveryService, deliveryKey, type DeliveryServiceDeps } from './delivery.service.js';
import { InMemoryDeliveryLog } from './in-memory-delivery-log.adapter.js';

const T0 = Date.UTC(2025, 2, 4, 13, 6);
const dana: Contact = {
  id: 'dana',
  tenantId: 'acme',
  name: 'Dana',
  email: 'dana@acme.test',
  phone: '+4915112345678',
  timeZone: 'Europe/Berlin',
};
const alert = alertEvent();
const render = (c: Contact) =>
  renderAlert(alert, renderContext({ contact: { name: c.name, timeZone: c.timeZone } }));

describe('DeliveryService', () => {
  let clock: ManualClock;
  let log: InMemoryDeliveryLog;
  let sleeps: number[];
  let email: FakeChannel;
  let sms: FakeChannel;
  let voice: FakeChannel;

  function service(overrides: Partial<DeliveryServiceDeps> = {}): DeliveryService {
    return new DeliveryService({
      channels: channelMap(email, sms, voice),
      log,
      clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
      },
      random: () => 0,
      logger: silentLogger,
      ...overrides,
    });
  }

  beforeEach(() => {
    clock = new ManualClock(T0);
    log = new InMemoryDeliveryLog();
    sleeps = [];
    email = new FakeChannel('email');
    sms = new FakeChannel('sms');
    voice = new FakeChannel('voice');
  });

  it('sends each (contact, channel) once and records it as sent', async () => {
    const out = await service().deliver({
      alert,
      targets: [
        { contact: dana, channel: 'email' },
        { contact: dana, channel: 'sms' },
        { contact: dana, channel: 'sms' },
      ],
      render,
    });
    expect(out.map((o) => o.channels.map((c) => c.kind))).toEqual([['sent'], ['sent']]);
    expect(email.sent.map((m) => m.recipient.address)).toEqual(['dana@acme.test']);
    expect(sms.sent.map((m) => m.recipient.address)).toEqual(['+4915112345678']);
    expect(sms.sent[0].idempotencyKey).toBe(deliveryKey(alert.key, 'dana', 'sms'));
    expect(await log.get(deliveryKey(alert.key, 'dana', 'sms'))).toMatchObject({
      state: 'sent',
      providerMessageId: 'sms-1',
    });
  });

  it('never sends again after a restart: a new service over the same log finds the deliveries sent', async () => {
    const targets = [
      { contact: dana, channel: 'email' as const },
      { contact: dana, channel: 'sms' as const },
    ];
    await service().deliver({ alert, targets, render });
    const afterRestart = await service().deliver({ alert, targets, render });
    expect(afterRestart.flatMap((o) => o.channels.map((c) => c.kind))).toEqual([
      'already_sent',
      'already_sent',
    ]);
    expect(afterRestart.every((o) => o.reached)).toBe(true);
    expect(email.calls).toHaveLength(1);
    expect(sms.calls).toHaveLength(1);
  });

  it('retries a transient failure with growing, jittered waits and succeeds on attempt 3', async () => {
    sms.script({ retriable: true, providerCode: 20429 }, { retriable: true, providerCode: 503 });
    const [out] = await service().deliver({ alert, targets: [{ contact: dana, channel: 'sms' }], render });
    expect(out.channels).toEqual([expect.objectContaining({ kind: 'sent', attempts: 3 })]);
    expect(sleeps).toEqual([backoffDelayMs(1, () => 0), backoffDelayMs(2, () => 0)]);
    expect(sleeps).toEqual([500, 1000]);
    expect(await log.get(deliveryKey(alert.key, 'dana', 'sms'))).toMatchObject({
      state: 'sent',
      attempts: 3,
      lastError: { retriable: true, providerCode: 503 },
    });
  });

  it('gives up after maxAttempts transient failures and escalates to the next channel', async () => {
    sms.script(...Array.from({ length: 3 }, () => ({ retriable: true })));
    const [out] = await service({ options: { maxAttempts: 3 } }).deliver({
      alert,
      targets: [{ contact: dana, channel: 'sms' }],
      render,
    });
    expect(out.channels.map((c) => [c.kind, c.channel])).toEqual([
      ['failed', 'sms'],
      ['sent', 'voice'],
    ]);
    expect(sms.calls).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('does not retry a permanent refusal: records it and escalates, the fallback remembering why', async () => {
    sms.script({ retriable: false, providerCode: 21211 });
    voice.script({ retriable: false, providerCode: 21211 });
    const [out] = await service().deliver({ alert, targets: [{ contact: dana, channel: 'sms' }], render });
    expect(out.channels.map((c) => [c.kind, c.channel])).toEqual([
      ['failed', 'sms'],
      ['failed', 'voice'],
      ['sent', 'email'],
    ]);
    expect(sms.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    const records = await log.listByAlert(alert.key);
    expect(records.map((r) => [r.channel, r.state, r.lastError?.providerCode, r.escalatedFrom])).toEqual([
      ['sms', 'failed', 21211, undefined],
      ['voice', 'failed', 21211, deliveryKey(alert.key, 'dana', 'sms')],
      ['email', 'sent', undefined, deliveryKey(alert.key, 'dana', 'voice')],
    ]);
  });

  it('does not resend when recording an accepted message fails: the error surfaces and the record stays sending', async () => {
    const failingLog = Object.assign(Object.create(log) as InMemoryDeliveryLog, {
      markSent: () => Promise.reject(new Error('database down')),
    });
    await expect(
      service({ log: failingLog }).deliver({ alert, targets: [{ contact: dana, channel: 'sms' }], render }),
    ).rejects.toThrow('database down');
    expect(sms.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(await log.get(deliveryKey(alert.key, 'dana', 'sms'))).toMatchObject({
      state: 'sending',
      attempts: 1,
    });
  });

  it('treats a programming error from a provider as permanent', async () => {
    sms.script({ throws: new TypeError('cannot read x of undefined') });
    const [out] = await service().deliver({
      alert,
      targets: [{ contact: dana, channel: 'sms', fallbacks: [] }],
      render,
    });
    expect(out.channels).toEqual([
      expect.objectContaining({ kind: 'failed', error: expect.objectContaining({ retriable: false }) }),
    ]);
    expect(out.reached).toBe(false);
  });

  it('records a contact without a phone as no_address and falls back to email', async () => {
    const noPhone: Contact = { ...dana, id: 'lee', phone: undefined };
    const [out] = await service().deliver({ alert, targets: [{ contact: noPhone, channel: 'sms' }], render });
    expect(out.channels.map((c) => (c.kind === 'failed' ? c.error.code : c.kind))).toEqual([
      'no_address',
      'no_address',
      'sent',
    ]);
    expect(sms.calls).toHaveLength(0);
  });

  it('records an unconfigured channel as channel_unavailable', async () => {
    const [out] = await service().deliver({
      alert,
      targets: [{ contact: dana, channel: 'webhook', fallbacks: [] }],
      render,
    });
    expect(out.channels).toEqual([
      expect.objectContaining({
        kind: 'failed',
        error: expect.objectContaining({ code: 'channel_unavailable' }),
      }),
    ]);
  });

  it('never lets a hanging channel hold up another target', async () => {
    let release!: () => void;
    email.script({ gate: new Promise<void>((r) => (release = r)) });
    const done = service().deliver({
      alert,
      targets: [
        { contact: dana, channel: 'email' },
        { contact: dana, channel: 'sms' },
      ],
      render,
    });
    // The SMS is sent and recorded while the email is still in flight.
    await new Promise((r) => setImmediate(r));
    expect(await log.get(deliveryKey(alert.key, 'dana', 'sms'))).toMatchObject({ state: 'sent' });
    expect(await log.get(deliveryKey(alert.key, 'dana', 'email'))).toMatchObject({ state: 'sending' });
    release();
    const out = await done;
    expect(out.map((o) => o.channels[0].kind)).toEqual(['sent', 'sent']);
  });

  it('leaves a delivery another instance is sending to that instance', async () => {
    await log.acquire(
      {
        idempotencyKey: deliveryKey(alert.key, 'dana', 'sms'),
        alertKey: alert.key,
        tenantId: 'acme',
        contactId: 'dana',
        channel: 'sms',
        address: dana.phone!,
      },
      T0,
      60_000,
    );
    const [out] = await service().deliver({ alert, targets: [{ contact: dana, channel: 'sms' }], render });
    expect(out.channels.map((c) => c.kind)).toEqual(['in_flight']);
    expect(sms.calls).toHaveLength(0);
  });

  it('resumes a retry left pending by a stopped instance once it is due', async () => {
    sms.script({ retriable: true });
    const first = service({ sleep: async () => first.stop() });
    const [a] = await first.deliver({ alert, targets: [{ contact: dana, channel: 'sms' }], render });
    expect(a.channels.map((c) => c.kind)).toEqual(['interrupted']);
    const pending = await log.get(deliveryKey(alert.key, 'dana', 'sms'));
    expect(pending).toMatchObject({ state: 'retry_wait', attempts: 1, nextAttemptAt: T0 + 500 });

    const [b] = await service().deliver({ alert, targets: [{ contact: dana, channel: 'sms' }], render });
    expect(sleeps).toEqual([500]);
    expect(b.channels).toEqual([expect.objectContaining({ kind: 'sent', attempts: 2 })]);
  });

  it('asks providers to call back to per-delivery URLs', async () => {
    await service({
      callbacks: { statusUrl: (k) => `https://cc/s?d=${k}`, voiceGatherUrl: (k) => `https://cc/g?d=${k}` },
    }).deliver({ alert, targets: [{ contact: dana, channel: 'voice' }], render });
    const key = deliveryKey(alert.key, 'dana', 'voice');
    expect(voice.sent[0].callbacks).toEqual({
      statusUrl: `https://cc/s?d=${key}`,
      voiceGatherUrl: `https://cc/g?d=${key}`,
    });
  });

  it('records provider callbacks and asks for escalation only when the message finally did not arrive', async () => {
    const svc = service();
    await svc.deliver({ alert, targets: [{ contact: dana, channel: 'sms' }], render });
    const key = deliveryKey(alert.key, 'dana', 'sms');
    const sent = await svc.recordProviderStatus({
      idempotencyKey: key,
      providerMessageId: 'sms-1',
      status: 'sent',
      raw: 'sent',
      at: T0 + 1,
    });
    expect(sent.escalate).toBe(false);
    const undelivered = await svc.recordProviderStatus({
      providerMessageId: 'sms-1',
      status: 'undelivered',
      raw: 'undelivered',
      at: T0 + 2,
      errorCode: '30003',
    });
    expect(undelivered).toMatchObject({ escalate: true, record: { providerStatus: 'undelivered' } });

    const fallback = await svc.deliverFallback({ alert, contact: dana, failed: undelivered.record!, render });
    expect(fallback.channels.map((c) => [c.kind, c.channel])).toEqual([['sent', 'voice']]);
    expect(await log.get(deliveryKey(alert.key, 'dana', 'voice'))).toMatchObject({ escalatedFrom: key });
    expect(
      await svc.recordProviderStatus({ providerMessageId: 'nope', status: 'sent', raw: 'sent', at: T0 }),
    ).toEqual({
      record: undefined,
      escalate: false,
    });
  });
});

describe('backoffDelayMs', () => {
  it.each([
    [1, 0, 500],
    [1, 0.999, 999],
    [2, 0, 1000],
    [3, 0.5, 3000],
    [10, 0, 30_000],
    [10, 0.999, 59_970],
  ])('attempt %i with random %d waits %i ms (base 1 s, cap 60 s)', (attempt, r, expected) => {
    expect(backoffDelayMs(attempt, () => r, { baseMs: 1000, maxMs: 60_000 })).toBe(expected);
  });
});

// The behaviour every DeliveryLog adapter (@coldchain/notifications port)
// must show: in-memory, SQLite, PostgreSQL. Test-only (imports @jest/globals).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DeliveryErrorInfo, DeliveryInit, DeliveryLog, DeliveryRecord } from '@coldchain/metadata-store';

const T0 = Date.UTC(2025, 2, 4, 13, 0);
const LEASE_MS = 60_000;
const TRANSIENT: DeliveryErrorInfo = {
  code: 'delivery_failed_transient',
  message: '450 busy',
  retriable: true,
  providerCode: 450,
};
const PERMANENT: DeliveryErrorInfo = {
  code: 'delivery_failed_permanent',
  message: '21211',
  retriable: false,
  providerCode: 21211,
};

export function deliveryLogContract(
  adapter: string,
  makeLog: () => DeliveryLog | Promise<DeliveryLog>,
  closeLog: (log: DeliveryLog) => void | Promise<void> = () => undefined,
): void {
  describe(`DeliveryLog contract: ${adapter}`, () => {
    let log: DeliveryLog;
    // Unique keys per test, so adapters sharing one database across tests stay independent.
    let run: string;
    const init = (
      channel: DeliveryInit['channel'] = 'sms',
      contactId = 'dana',
      alert = 'a1',
    ): DeliveryInit => ({
      idempotencyKey: `${run}:${alert}:${contactId}:${channel}`,
      alertKey: `${run}:${alert}`,
      tenantId: 'acme',
      contactId,
      channel,
      address: channel === 'email' ? 'dana@acme.test' : '+4915112345678',
    });

    beforeEach(async () => {
      run = randomUUID();
      log = await makeLog();
    });
    afterEach(async () => {
      await closeLog(log);
    });

    it('grants the first attempt and refuses a second while the lease is live', async () => {
      const first = await log.acquire(init(), T0, LEASE_MS);
      expect(first.acquired).toBe(true);
      expect(first.record).toMatchObject({
        ...init(),
        state: 'sending',
        attempts: 1,
        leaseUntil: T0 + LEASE_MS,
        createdAt: T0,
      });
      const second = await log.acquire(init(), T0 + LEASE_MS - 1, LEASE_MS);
      expect(second).toMatchObject({ acquired: false, record: { state: 'sending', attempts: 1 } });
    });

    it('grants exactly one of many concurrent first acquisitions', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => log.acquire(init(), T0, LEASE_MS)));
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
    });

    it('never grants a delivery recorded as sent again, however late (restart safety)', async () => {
      await log.acquire(init(), T0, LEASE_MS);
      const sent = await log.markSent(
        init().idempotencyKey,
        { provider: 'twilio', providerMessageId: 'SM1' },
        T0 + 5,
      );
      expect(sent).toMatchObject({
        state: 'sent',
        provider: 'twilio',
        providerMessageId: 'SM1',
        updatedAt: T0 + 5,
      });
      expect(sent.leaseUntil).toBeUndefined();
      const later = await log.acquire(init(), T0 + 365 * 86_400_000, LEASE_MS);
      expect(later).toMatchObject({ acquired: false, record: { state: 'sent', attempts: 1 } });
    });

    it('keeps the first receipt when marked sent twice', async () => {
      await log.acquire(init(), T0, LEASE_MS);
      await log.markSent(init().idempotencyKey, { provider: 'twilio', providerMessageId: 'SM1' }, T0 + 1);
      const again = await log.markSent(
        init().idempotencyKey,
        { provider: 'twilio', providerMessageId: 'SM2' },
        T0 + 2,
      );
      expect(again.providerMessageId).toBe('SM1');
    });

    it('holds a transient failure until its next attempt is due, then grants attempt 2 keeping the error', async () => {
      await log.acquire(init(), T0, LEASE_MS);
      const waiting = await log.markRetry(init().idempotencyKey, 1, TRANSIENT, T0 + 2_000, T0 + 10);
      expect(waiting).toMatchObject({ state: 'retry_wait', nextAttemptAt: T0 + 2_000, lastError: TRANSIENT });
      expect((await log.acquire(init(), T0 + 1_999, LEASE_MS)).acquired).toBe(false);
      const second = await log.acquire(init(), T0 + 2_000, LEASE_MS);
      expect(second).toMatchObject({
        acquired: true,
        record: { state: 'sending', attempts: 2, lastError: TRANSIENT },
      });
      expect(second.record.nextAttemptAt).toBeUndefined();
    });

    it('never grants a permanently failed delivery again', async () => {
      await log.acquire(init(), T0, LEASE_MS);
      const failed = await log.markFailed(init().idempotencyKey, 1, PERMANENT, T0 + 1);
      expect(failed).toMatchObject({ state: 'failed', lastError: PERMANENT });
      expect((await log.acquire(init(), T0 + 10 * LEASE_MS, LEASE_MS)).acquired).toBe(false);
    });

    it('lets another holder take over an expired lease, and fences the stale holder out', async () => {
      await log.acquire(init(), T0, LEASE_MS);
      const takeover = await log.acquire(init(), T0 + LEASE_MS, LEASE_MS);
      expect(takeover).toMatchObject({
        acquired: true,
        record: { attempts: 2, leaseUntil: T0 + 2 * LEASE_MS },
      });
      const stale = await log.markFailed(init().idempotencyKey, 1, PERMANENT, T0 + LEASE_MS + 1);
      expect(stale).toMatchObject({ state: 'sending', attempts: 2 });
      const staleRetry = await log.markRetry(
        init().idempotencyKey,
        1,
        TRANSIENT,
        T0 + 5 * LEASE_MS,
        T0 + LEASE_MS + 2,
      );
      expect(staleRetry.state).toBe('sending');
      expect((await log.markFailed(init().idempotencyKey, 2, PERMANENT, T0 + LEASE_MS + 3)).state).toBe(
        'failed',
      );
    });

    it("does not overwrite the first attempt's identity fields on later acquisitions", async () => {
      await log.acquire(init(), T0, LEASE_MS);
      await log.markRetry(init().idempotencyKey, 1, TRANSIENT, T0 + 1, T0);
      const second = await log.acquire({ ...init(), address: '+000', tenantId: 'other' }, T0 + 1, LEASE_MS);
      expect(second.record).toMatchObject({ address: init().address, tenantId: 'acme' });
    });

    it('records provider callbacks by idempotency key or message id, keeping the furthest status', async () => {
      await log.acquire(init(), T0, LEASE_MS);
      await log.markSent(init().idempotencyKey, { provider: 'twilio', providerMessageId: 'SMx' }, T0 + 1);
      await log.recordProviderStatus({
        providerMessageId: 'SMx',
        status: 'delivered',
        raw: 'delivered',
        at: T0 + 30,
      });
      const late = await log.recordProviderStatus({
        idempotencyKey: init().idempotencyKey,
        providerMessageId: 'SMx',
        status: 'sent',
        raw: 'sent',
        at: T0 + 31,
      });
      expect(late).toMatchObject({ providerStatus: 'delivered', updatedAt: T0 + 31 });
      expect(late!.statusHistory).toEqual([
        { status: 'delivered', raw: 'delivered', at: T0 + 30 },
        { status: 'sent', raw: 'sent', at: T0 + 31 },
      ]);
    });

    it('keeps the vendor error code of a failed callback', async () => {
      await log.acquire(init(), T0, LEASE_MS);
      await log.markSent(init().idempotencyKey, { provider: 'twilio', providerMessageId: 'SMy' }, T0 + 1);
      const r = await log.recordProviderStatus({
        providerMessageId: 'SMy',
        status: 'undelivered',
        raw: 'undelivered',
        at: T0 + 9,
        errorCode: '30003',
      });
      expect(r).toMatchObject({ providerStatus: 'undelivered', statusHistory: [{ errorCode: '30003' }] });
    });

    it('heals a crash between provider acceptance and markSent: the callback marks it sent', async () => {
      await log.acquire(init(), T0, LEASE_MS);
      const healed = await log.recordProviderStatus({
        idempotencyKey: init().idempotencyKey,
        providerMessageId: 'SMz',
        status: 'queued',
        raw: 'queued',
        at: T0 + 3,
      });
      expect(healed).toMatchObject({ state: 'sent', providerMessageId: 'SMz', providerStatus: 'queued' });
      expect((await log.acquire(init(), T0 + 2 * LEASE_MS, LEASE_MS)).acquired).toBe(false);
      expect(
        await log.recordProviderStatus({ providerMessageId: 'SMz', status: 'sent', raw: 'sent', at: T0 + 4 }),
      ).toMatchObject({
        providerStatus: 'sent',
      });
    });

    it('returns undefined for a callback about an unknown delivery', async () => {
      expect(
        await log.recordProviderStatus({
          providerMessageId: `SM-${run}`,
          status: 'sent',
          raw: 'sent',
          at: T0,
        }),
      ).toBeUndefined();
      expect(await log.get(`${run}:nothing`)).toBeUndefined();
    });

    it('lists every delivery of one alert and nothing of others', async () => {
      await log.acquire(init('email'), T0, LEASE_MS);
      await log.acquire(init('sms'), T0 + 1, LEASE_MS);
      await log.acquire(init('sms', 'lee'), T0 + 2, LEASE_MS);
      await log.acquire(init('sms', 'dana', 'a2'), T0 + 3, LEASE_MS);
      const list = await log.listByAlert(`${run}:a1`);
      expect(list.map((r) => r.idempotencyKey)).toEqual([
        init('email').idempotencyKey,
        init('sms').idempotencyKey,
        init('sms', 'lee').idempotencyKey,
      ]);
    });

    it('lists each delivery of an alert with its own provider callbacks, in arrival order', async () => {
      await log.acquire(init('email'), T0, LEASE_MS);
      await log.acquire(init('sms'), T0 + 1, LEASE_MS);
      await log.acquire(init('voice'), T0 + 2, LEASE_MS);
      await log.markSent(
        init('sms').idempotencyKey,
        { provider: 'twilio', providerMessageId: `SM-${run}` },
        T0 + 3,
      );
      await log.markSent(
        init('voice').idempotencyKey,
        { provider: 'twilio', providerMessageId: `CA-${run}` },
        T0 + 4,
      );
      for (const [key, status, at] of [
        [init('sms').idempotencyKey, 'sent', T0 + 5],
        [init('voice').idempotencyKey, 'queued', T0 + 6],
        [init('sms').idempotencyKey, 'delivered', T0 + 7],
      ] as const)
        await log.recordProviderStatus({
          idempotencyKey: key,
          providerMessageId: 'unused',
          status,
          raw: status,
          at,
        });
      const list = await log.listByAlert(`${run}:a1`);
      expect(list.map((r) => r.channel)).toEqual(['email', 'sms', 'voice']);
      const byChannel = new Map(list.map((r) => [r.channel, r]));
      expect(byChannel.get('email')?.statusHistory).toEqual([]);
      expect(byChannel.get('sms')?.statusHistory).toEqual([
        { status: 'sent', raw: 'sent', at: T0 + 5 },
        { status: 'delivered', raw: 'delivered', at: T0 + 7 },
      ]);
      expect(byChannel.get('voice')?.statusHistory.map((s) => s.status)).toEqual(['queued']);
      expect((await log.get(init('sms').idempotencyKey))?.statusHistory.map((s) => s.status)).toEqual([
        'sent',
        'delivered',
      ]);
      expect(await log.listByAlert(`${run}:none`)).toEqual([]);
    });

    it('lists due work for a sweeper: retries due and expired leases, not live or finished ones', async () => {
      await log.acquire(init('email'), T0, LEASE_MS); // lease expires at T0+LEASE
      await log.acquire(init('sms'), T0, LEASE_MS);
      await log.markRetry(init('sms').idempotencyKey, 1, TRANSIENT, T0 + 10, T0 + 1); // due at T0+10
      await log.acquire(init('voice'), T0, LEASE_MS);
      await log.markSent(
        init('voice').idempotencyKey,
        { provider: 'twilio', providerMessageId: `CA-${run}` },
        T0 + 2,
      );
      // Only this test's records: durable adapters share one database across tests.
      const mine = (list: DeliveryRecord[]) => list.filter((r) => r.alertKey.startsWith(run));
      const soon = mine(await log.listDue(T0 + 10, 1000));
      expect(soon.map((r) => r.channel)).toEqual(['sms']);
      const later = mine(await log.listDue(T0 + LEASE_MS, 1000));
      expect(later.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
      expect(await log.listDue(T0 + LEASE_MS, 1)).toHaveLength(1);
    });

    it('lists what was sent to one number recently, newest first, for matching SMS replies', async () => {
      const phone = `+49${String(parseInt(run.slice(0, 8), 16))
        .padStart(10, '0')
        .slice(0, 10)}`;
      const at = (alert: string, ch: DeliveryInit['channel'], t: number, address = phone) =>
        log.acquire({ ...init(ch, 'dana', alert), address }, t, LEASE_MS);
      await at('old', 'sms', T0 - 10);
      await at('a1', 'sms', T0);
      await at('a2', 'sms', T0 + 5);
      await at('a2', 'voice', T0 + 6);
      await at('a3', 'sms', T0 + 7, '+15005550006');
      const recent = await log.listRecentByAddress('sms', phone, T0, 10);
      expect(recent.map((r) => r.alertKey)).toEqual([`${run}:a2`, `${run}:a1`]);
      expect(await log.listRecentByAddress('sms', phone, T0, 1)).toHaveLength(1);
    });

    it('hands out copies: mutating a returned record does not change the log', async () => {
      const { record } = await log.acquire(init(), T0, LEASE_MS);
      record.state = 'sent';
      record.statusHistory.push({ status: 'sent', raw: 'x', at: 0 });
      expect(await log.get(init().idempotencyKey)).toMatchObject({ state: 'sending', statusHistory: [] });
    });
  });
}

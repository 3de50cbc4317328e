// The behaviour every AckAuditLog adapter (@coldchain/notifications port)
// must show: in-memory, SQLite, PostgreSQL. Test-only (imports @jest/globals).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AckAuditLog } from '@coldchain/metadata-store';

const T0 = Date.UTC(2025, 2, 4, 13, 0);

export function ackAuditContract(
  adapter: string,
  makeLog: () => AckAuditLog | Promise<AckAuditLog>,
  closeLog: (log: AckAuditLog) => void | Promise<void> = () => undefined,
): void {
  describe(`AckAuditLog contract: ${adapter}`, () => {
    let log: AckAuditLog;
    let alertKey: string;
    beforeEach(async () => {
      alertKey = `${randomUUID()}:raised`;
      log = await makeLog();
    });
    afterEach(async () => {
      await closeLog(log);
    });

    it('reports an alert nobody acknowledged as unacknowledged', async () => {
      expect(await log.firstAck(alertKey)).toBeUndefined();
      expect(await log.listAcks(alertKey)).toEqual([]);
    });

    it('keeps every acknowledgement in append order, with who, when, how and the comment', async () => {
      const first = await log.append({
        alertKey,
        tenantId: 'acme',
        actor: 'dana',
        via: 'sms',
        comment: 'moving stock to fridge B',
        at: T0 + 5,
      });
      const second = await log.append({
        alertKey,
        tenantId: 'acme',
        actor: 'sam@acme.test',
        via: 'api',
        at: T0 + 9,
      });
      await log.append({
        alertKey: `${alertKey}-other`,
        tenantId: 'acme',
        actor: 'kei',
        via: 'voice',
        at: T0,
      });
      expect(second.id).toBeGreaterThan(first.id);
      expect(await log.listAcks(alertKey)).toEqual([
        {
          id: first.id,
          alertKey,
          tenantId: 'acme',
          actor: 'dana',
          via: 'sms',
          comment: 'moving stock to fridge B',
          at: T0 + 5,
        },
        { id: second.id, alertKey, tenantId: 'acme', actor: 'sam@acme.test', via: 'api', at: T0 + 9 },
      ]);
      expect(await log.firstAck(alertKey)).toMatchObject({ actor: 'dana', via: 'sms', at: T0 + 5 });
    });

    it('hands out copies', async () => {
      const e = await log.append({ alertKey, tenantId: 'acme', actor: 'dana', via: 'link', at: T0 });
      e.actor = 'mallory';
      expect((await log.firstAck(alertKey))!.actor).toBe('dana');
    });
  });
}

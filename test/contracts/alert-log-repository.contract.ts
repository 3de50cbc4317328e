import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AlertFilter } from '@coldchain/metadata-store';
import { alert, openFixture, type MetadataFixture, type OpenDatabase } from './metadata-fixture.js';

/**
 * The alert log: idempotent on the key, listed newest first, narrowed by filters.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function alertLogRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`AlertLogRepository contract: ${adapter}`, () => {
    let store: MetadataFixture;
    const tenantId = `t-${randomUUID()}`;
    const otherTenant = `t-${randomUUID()}`;

    beforeAll(async () => {
      store = await openFixture(openDatabase);
      await store.tenants.createTenant({ id: tenantId, name: 'Acme' });
      await store.tenants.createTenant({ id: otherTenant, name: 'Other' });
    });
    afterAll(async () => {
      await store.database.close();
    });

    it('records each alert once, whatever the redelivery, scoped by tenant', async () => {
      const a = alert(tenantId, `k-${randomUUID()}`, 1000);
      const b = alert(tenantId, `k-${randomUUID()}`, 2000);
      expect(await store.alerts.recordAlerts([a, b])).toHaveLength(2);
      expect(await store.alerts.recordAlerts([a, b])).toHaveLength(0);
      const listed = await store.alerts.listAlerts(tenantId, 10);
      expect(listed.map((e) => e.key)).toEqual([b.key, a.key]);
      expect(await store.alerts.listAlerts(otherTenant, 10)).toEqual([]);
    });

    it("narrows alert listings by tag, rule, transition, episode and emitted time, all bound, tenant's own only", async () => {
      const t = `t-filter-${randomUUID()}`;
      await store.tenants.createTenant({ id: t, name: 'Filters' });
      const tagA = 'AA:BB:CC:DD:EE:0A';
      const raised = { ...alert(t, `f-${randomUUID()}`, 10_000, tagA) };
      const cleared = {
        ...alert(t, `f-${randomUUID()}`, 20_000, tagA),
        transition: 'cleared' as const,
        startedAt: raised.startedAt,
      };
      const humid = { ...alert(t, `f-${randomUUID()}`, 30_000, tagA), rule: 'humidity.high' };
      const other = alert(t, `f-${randomUUID()}`, 40_000, 'AA:BB:CC:DD:EE:0B');
      await store.alerts.recordAlerts([raised, cleared, humid, other]);
      const keys = async (filter: AlertFilter) =>
        (await store.alerts.listAlerts(t, 100, filter)).map((e) => e.key);
      expect(await keys({ tag: tagA })).toEqual([humid.key, cleared.key, raised.key]);
      expect(await keys({ tag: tagA, rule: 'temperature.high', startedAt: raised.startedAt })).toEqual([
        cleared.key,
        raised.key,
      ]);
      expect(await keys({ transition: 'cleared' })).toEqual([cleared.key]);
      expect(await keys({ key: humid.key })).toEqual([humid.key]);
      expect(await keys({ since: 20_000, until: 40_000 })).toEqual([humid.key, cleared.key]);
      expect(await keys({ tag: "x' OR '1'='1" })).toEqual([]);
      expect(await store.alerts.listAlerts(otherTenant, 100, { tag: tagA })).toEqual([]);
    });
  });
}

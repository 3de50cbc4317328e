import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { MetadataStorePort } from '@coldchain/metadata-store';

/** The tenant-settings part of MetadataStorePort (TenantStore), on every adapter. */
export function tenantStoreContract(adapter: string, makeStore: () => Promise<MetadataStorePort>): void {
  describe(`TenantStore contract: ${adapter}`, () => {
    let store: MetadataStorePort;
    const id = `t-${randomUUID()}`;

    beforeAll(async () => {
      store = await makeStore();
      await store.start();
      await store.createTenant({ id, name: 'Acme Cold' });
    });
    afterAll(async () => {
      await store.close();
    });

    it('reads a new tenant with no settings, and nothing for an unknown id', async () => {
      expect(await store.findTenant(id)).toEqual({ id, name: 'Acme Cold' });
      expect(await store.findTenant(`t-${randomUUID()}`)).toBeUndefined();
      expect(await store.updateTenant(`t-${randomUUID()}`, { name: 'x' })).toBeUndefined();
    });

    it('sets, keeps and clears settings, and lists tenants with a shorter positions retention', async () => {
      expect(await store.updateTenant(id, { timeZone: 'Europe/Lisbon', positionsRetentionDays: 30 })).toEqual(
        {
          id,
          name: 'Acme Cold',
          timeZone: 'Europe/Lisbon',
          positionsRetentionDays: 30,
        },
      );
      expect((await store.tenantsWithPositionsRetention()).map((t) => t.id)).toContain(id);
      expect(await store.updateTenant(id, { name: 'Acme', positionsRetentionDays: null })).toEqual({
        id,
        name: 'Acme',
        timeZone: 'Europe/Lisbon',
      });
      expect((await store.tenantsWithPositionsRetention()).map((t) => t.id)).not.toContain(id);
    });
  });
}

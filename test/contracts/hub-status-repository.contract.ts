import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { imeiFromBody } from '@coldchain/contract';
import { hashHubSecret } from '@coldchain/metadata-store';
import { openFixture, type MetadataFixture, type OpenDatabase } from './metadata-fixture.js';

/**
 * Hubs' last known connection state.
 *
 * Every adapter runs it: SQLite in the unit tier, PostgreSQL in the
 * integration tier, each on a database handle `openDatabase` returns unstarted.
 */
export function hubStatusRepositoryContract(adapter: string, openDatabase: OpenDatabase): void {
  describe(`HubStatusRepository contract: ${adapter}`, () => {
    let store: MetadataFixture;
    const tenantId = `t-${randomUUID()}`;
    const otherTenant = `t-${randomUUID()}`;
    const imei = imeiFromBody('35' + String(Date.now()).slice(-12));

    beforeAll(async () => {
      store = await openFixture(openDatabase);
      await store.tenants.createTenant({ id: tenantId, name: 'Acme' });
      await store.tenants.createTenant({ id: otherTenant, name: 'Other' });
      await store.hubs.createHub({ imei, tenantId, name: 'Truck 1', secretHash: hashHubSecret('s3cret') });
    });
    afterAll(async () => {
      await store.database.close();
    });

    it('keeps the newest hub status, ignoring an older one that arrives late', async () => {
      await store.hubStatus.setHubStatus(imei, 'online', 2000);
      await store.hubStatus.setHubStatus(imei, 'offline', 1000);
      expect(await store.hubStatus.hubStatuses(tenantId)).toEqual([{ imei, status: 'online', at: 2000 }]);
      expect(await store.hubStatus.hubStatuses(otherTenant)).toEqual([]);
    });
  });
}

import type { Hub } from '@coldchain/domain';

/** Row shape of `hubs`, shared by both adapters. */

export interface HubRow {
  imei: string;
  tenant_id: string;
  name: string;
}

export const toHub = (r: HubRow): Hub => ({ imei: r.imei, tenantId: r.tenant_id, name: r.name });

import type { Hub } from '@coldchain/domain';
import type { HubRecord } from '../../database/metadata-database.js';

/**
 * Hubs (gateways) and their MQTT secrets. Proven by
 * test/contracts/hub-repository.contract.ts on both adapters.
 *
 * Tenant-scoped: a hub of another tenant behaves as absent (undefined /
 * false). Every change bumps the metadata version (the gateway and ingest
 * caches reload within METADATA_REFRESH_MS).
 */
export interface HubRepository {
  createHub(hub: HubRecord): Promise<void>;
  /**
   * Whether a hub with this IMEI is registered to any tenant: the identifier
   * is physical and unique, so registering a taken one is a conflict.
   */
  isRegistered(imei: string): Promise<boolean>;
  findHub(tenantId: string, imei: string): Promise<Hub | undefined>;
  listHubs(tenantId: string): Promise<Hub[]>;
  /** Replaces the hub's secret hash (the old secret stops working) and bumps the version. */
  setHubSecret(tenantId: string, imei: string, secretHash: string): Promise<boolean>;
}

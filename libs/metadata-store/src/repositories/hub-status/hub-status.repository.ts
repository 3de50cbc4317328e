import type { HubStatus } from '@coldchain/contract';
import type { EpochMs } from '@coldchain/domain';

/** A hub's last known connection state, as of `at` (epoch ms). */
export interface HubStatusRecord {
  imei: string;
  status: HubStatus;
  at: EpochMs;
}

/**
 * Hubs' last known connection state. Proven by
 * test/contracts/hub-status-repository.contract.ts on both adapters.
 */
export interface HubStatusRepository {
  /** Records the state unless a later one is already stored (`at` never moves backwards). */
  setHubStatus(imei: string, status: HubStatus, at: EpochMs): Promise<void>;
  /** The tenant's hubs that have a state, by IMEI. */
  hubStatuses(tenantId: string): Promise<HubStatusRecord[]>;
}

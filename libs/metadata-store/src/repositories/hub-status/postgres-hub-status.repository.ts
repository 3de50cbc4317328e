import type { HubStatus } from '@coldchain/contract';
import type { EpochMs } from '@coldchain/domain';
import type { PostgresDatabase } from '../../database/postgres-database.js';
import type { HubStatusRecord, HubStatusRepository } from './hub-status.repository.js';

/** {@link HubStatusRepository} on the PostgreSQL metadata database. */
export class PostgresHubStatusRepository implements HubStatusRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async setHubStatus(imei: string, status: HubStatus, at: EpochMs): Promise<void> {
    await this.db.query(
      `INSERT INTO hub_status (imei, status, at) VALUES ($1, $2, $3)
       ON CONFLICT (imei) DO UPDATE SET status = excluded.status, at = excluded.at WHERE excluded.at >= hub_status.at`,
      [imei, status, at],
    );
  }

  async hubStatuses(tenantId: string): Promise<HubStatusRecord[]> {
    return this.db.query<{ imei: string; status: HubStatus; at: EpochMs }>(
      `SELECT s.imei, s.status, s.at FROM hub_status s JOIN hubs h ON h.imei = s.imei
       WHERE h.tenant_id = $1 ORDER BY s.imei COLLATE "C"`,
      [tenantId],
    );
  }
}

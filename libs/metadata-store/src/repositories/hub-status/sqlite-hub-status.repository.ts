import type { HubStatus } from '@coldchain/contract';
import type { EpochMs } from '@coldchain/domain';
import type { SqliteDatabase } from '../../database/sqlite-database.js';
import type { HubStatusRecord, HubStatusRepository } from './hub-status.repository.js';

/** {@link HubStatusRepository} on the SQLite metadata database. */
export class SqliteHubStatusRepository implements HubStatusRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async setHubStatus(imei: string, status: HubStatus, at: EpochMs): Promise<void> {
    this.db.sql
      .prepare(
        `INSERT INTO hub_status (imei, status, at) VALUES (?, ?, ?)
         ON CONFLICT (imei) DO UPDATE SET status = excluded.status, at = excluded.at WHERE excluded.at >= hub_status.at`,
      )
      .run(imei, status, at);
  }

  async hubStatuses(tenantId: string): Promise<HubStatusRecord[]> {
    return this.db.sql
      .prepare(
        'SELECT s.imei, s.status, s.at FROM hub_status s JOIN hubs h ON h.imei = s.imei WHERE h.tenant_id = ? ORDER BY s.imei',
      )
      .all(tenantId) as HubStatusRecord[];
  }
}

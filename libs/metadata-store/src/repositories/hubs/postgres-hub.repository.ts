import type { Hub } from '@coldchain/domain';
import type { HubRecord } from '../../database/metadata-database.js';
import { BUMP_AFTER, BUMP_VERSION, type PostgresDatabase } from '../../database/postgres-database.js';
import { toHub, type HubRow } from './hub-rows.js';
import type { HubRepository } from './hub.repository.js';

/** {@link HubRepository} on the PostgreSQL metadata database; each change and its version bump commit together. */
export class PostgresHubRepository implements HubRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async createHub(hub: HubRecord): Promise<void> {
    await this.db.query(
      BUMP_AFTER(
        'INSERT INTO hubs (imei, tenant_id, name, secret_hash, updated_at) VALUES ($1, $2, $3, $4, $5)',
      ),
      [hub.imei, hub.tenantId, hub.name, hub.secretHash, this.db.now()],
    );
  }

  async isRegistered(imei: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM hubs WHERE imei = $1', [imei])).length > 0;
  }

  async findHub(tenantId: string, imei: string): Promise<Hub | undefined> {
    const [r] = await this.db.query<HubRow>(
      'SELECT imei, tenant_id, name FROM hubs WHERE tenant_id = $1 AND imei = $2',
      [tenantId, imei],
    );
    return r && toHub(r);
  }

  async listHubs(tenantId: string): Promise<Hub[]> {
    return (
      await this.db.query<HubRow>(
        'SELECT imei, tenant_id, name FROM hubs WHERE tenant_id = $1 ORDER BY imei COLLATE "C"',
        [tenantId],
      )
    ).map(toHub);
  }

  async setHubSecret(tenantId: string, imei: string, secretHash: string): Promise<boolean> {
    return this.db.transaction(async (c) => {
      const { rowCount } = await c.query(
        'UPDATE hubs SET secret_hash = $3 WHERE tenant_id = $1 AND imei = $2',
        [tenantId, imei, secretHash],
      );
      if (rowCount !== 1) return false;
      await c.query(BUMP_VERSION);
      return true;
    });
  }
}

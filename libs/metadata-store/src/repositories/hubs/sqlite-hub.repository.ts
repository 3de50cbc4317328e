import type { Hub } from '@coldchain/domain';
import type { HubRecord } from '../../database/metadata-database.js';
import type { SqliteDatabase } from '../../database/sqlite-database.js';
import { toHub, type HubRow } from './hub-rows.js';
import type { HubRepository } from './hub.repository.js';

/** {@link HubRepository} on the SQLite metadata database. */
export class SqliteHubRepository implements HubRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async createHub(hub: HubRecord): Promise<void> {
    this.db.sql
      .prepare('INSERT INTO hubs (imei, tenant_id, name, secret_hash, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(hub.imei, hub.tenantId, hub.name, hub.secretHash, this.db.now());
    this.db.bump();
  }

  async isRegistered(imei: string): Promise<boolean> {
    return this.db.sql.prepare('SELECT 1 FROM hubs WHERE imei = ?').get(imei) !== undefined;
  }

  async findHub(tenantId: string, imei: string): Promise<Hub | undefined> {
    const r = this.db.sql
      .prepare('SELECT imei, tenant_id, name FROM hubs WHERE tenant_id = ? AND imei = ?')
      .get(tenantId, imei) as HubRow | undefined;
    return r && toHub(r);
  }

  async listHubs(tenantId: string): Promise<Hub[]> {
    return (
      this.db.sql
        .prepare('SELECT imei, tenant_id, name FROM hubs WHERE tenant_id = ? ORDER BY imei')
        .all(tenantId) as HubRow[]
    ).map(toHub);
  }

  async setHubSecret(tenantId: string, imei: string, secretHash: string): Promise<boolean> {
    const db = this.db.sql;
    return db.transaction(() => {
      const changed =
        db
          .prepare('UPDATE hubs SET secret_hash = ? WHERE tenant_id = ? AND imei = ?')
          .run(secretHash, tenantId, imei).changes === 1;
      if (changed) this.db.bump();
      return changed;
    })();
  }
}

import type { Tenant } from '@coldchain/domain';
import type { SqliteDatabase } from '../../database/sqlite-database.js';
import { NEW_USER_COLUMNS, newUserValues } from '../users/user-rows.js';
import type { UserRecord } from '../users/user.repository.js';
import { TENANT_COLUMNS, tenantAssignments, toTenant, type TenantRow } from './tenant-rows.js';
import type {
  NewTenant,
  TenantClosing,
  TenantPatch,
  TenantRepository,
  TenantSettings,
} from './tenant.repository.js';

/** {@link TenantRepository} on the SQLite metadata database. */
export class SqliteTenantRepository implements TenantRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async createTenant(tenant: Tenant): Promise<void> {
    this.db.sql
      .prepare('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)')
      .run(tenant.id, tenant.name, this.db.now());
    this.db.bump();
  }

  async isEmpty(): Promise<boolean> {
    return (this.db.sql.prepare('SELECT COUNT(*) AS n FROM tenants').get() as { n: number }).n === 0;
  }

  async findTenant(id: string): Promise<TenantSettings | undefined> {
    const r = this.db.sql.prepare(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = ?`).get(id) as
      TenantRow | undefined;
    return r && toTenant(r);
  }

  async updateTenant(id: string, patch: TenantPatch): Promise<TenantSettings | undefined> {
    const { sets, values } = tenantAssignments(patch, () => '?');
    if (sets.length > 0)
      this.db.sql.prepare(`UPDATE tenants SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    return this.findTenant(id);
  }

  async tenantsWithPositionsRetention(): Promise<TenantSettings[]> {
    return (
      this.db.sql
        .prepare(
          `SELECT ${TENANT_COLUMNS} FROM tenants WHERE positions_retention_days IS NOT NULL ORDER BY id`,
        )
        .all() as TenantRow[]
    ).map(toTenant);
  }

  async listTenants(): Promise<TenantSettings[]> {
    return (
      this.db.sql.prepare(`SELECT ${TENANT_COLUMNS} FROM tenants ORDER BY id`).all() as TenantRow[]
    ).map(toTenant);
  }

  async openTenant(tenant: NewTenant, owner: UserRecord): Promise<TenantSettings> {
    const db = this.db.sql;
    db.transaction(() => {
      db.prepare('INSERT INTO tenants (id, name, time_zone, created_at) VALUES (?, ?, ?, ?)').run(
        tenant.id,
        tenant.name,
        tenant.timeZone ?? null,
        this.db.now(),
      );
      db.prepare(`INSERT INTO users (${NEW_USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
        ...newUserValues({ ...owner, tenantId: tenant.id }, this.db.now()),
      );
      this.db.bump();
    })();
    return (await this.findTenant(tenant.id))!;
  }

  async closeTenant(id: string, closing: TenantClosing): Promise<boolean> {
    const db = this.db.sql;
    return db.transaction(() => {
      const closed =
        db
          .prepare(
            'UPDATE tenants SET closed_at = ?, closed_by = ?, read_only_until = ? WHERE id = ? AND closed_at IS NULL',
          )
          .run(closing.at, closing.by, closing.readOnlyUntil, id).changes === 1;
      if (closed) this.db.bump();
      return closed;
    })();
  }
}

import type { Tenant } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';
import { BUMP_AFTER, BUMP_VERSION, type PostgresDatabase } from '../../database/postgres-database.js';
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

/** {@link TenantRepository} on the PostgreSQL metadata database. */
export class PostgresTenantRepository implements TenantRepository {
  constructor(private readonly db: PostgresDatabase) {}

  /**
   * Raises InvalidInputError `tenant "<id>" already exists` when the id is
   * taken, e.g. by another process seeding the demo tenant at the same time.
   */
  async createTenant(tenant: Tenant): Promise<void> {
    await this.db.query(
      BUMP_AFTER('INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)'),
      [tenant.id, tenant.name, this.db.now()],
      () => new InvalidInputError(`tenant "${tenant.id}" already exists`),
    );
  }

  async isEmpty(): Promise<boolean> {
    const [row] = await this.db.query<{ empty: boolean }>(
      'SELECT NOT EXISTS (SELECT 1 FROM tenants) AS empty',
    );
    return row.empty;
  }

  async findTenant(id: string): Promise<TenantSettings | undefined> {
    const [r] = await this.db.query<TenantRow>(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = $1`, [id]);
    return r && toTenant(r);
  }

  async updateTenant(id: string, patch: TenantPatch): Promise<TenantSettings | undefined> {
    const { sets, values } = tenantAssignments(patch, (n) => `$${n + 1}`);
    if (sets.length > 0)
      await this.db.query(`UPDATE tenants SET ${sets.join(', ')} WHERE id = $1`, [id, ...values]);
    return this.findTenant(id);
  }

  async tenantsWithPositionsRetention(): Promise<TenantSettings[]> {
    return (
      await this.db.query<TenantRow>(
        `SELECT ${TENANT_COLUMNS} FROM tenants WHERE positions_retention_days IS NOT NULL ORDER BY id COLLATE "C"`,
      )
    ).map(toTenant);
  }

  async listTenants(): Promise<TenantSettings[]> {
    return (
      await this.db.query<TenantRow>(`SELECT ${TENANT_COLUMNS} FROM tenants ORDER BY id COLLATE "C"`)
    ).map(toTenant);
  }

  /** One transaction: the tenant, its owner, the version bump; a taken id or email rolls all back. */
  async openTenant(tenant: NewTenant, owner: UserRecord): Promise<TenantSettings> {
    const row = await this.db.transaction(async (c) => {
      const [created] = (
        await c.query<TenantRow>(
          `INSERT INTO tenants (id, name, time_zone, created_at) VALUES ($1, $2, $3, $4) RETURNING ${TENANT_COLUMNS}`,
          [tenant.id, tenant.name, tenant.timeZone ?? null, this.db.now()],
        )
      ).rows;
      await c.query(
        `INSERT INTO users (${NEW_USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        newUserValues({ ...owner, tenantId: tenant.id }, this.db.now()),
      );
      await c.query(BUMP_VERSION);
      return created;
    });
    return toTenant(row);
  }

  /** The row lock of the UPDATE serialises two closings of one tenant: the first stands, the second finds it closed. */
  async closeTenant(id: string, closing: TenantClosing): Promise<boolean> {
    return this.db.transaction(async (c) => {
      const closed = await c.query(
        `UPDATE tenants SET closed_at = $2, closed_by = $3, read_only_until = $4
         WHERE id = $1 AND closed_at IS NULL RETURNING 1`,
        [id, closing.at, closing.by, closing.readOnlyUntil],
      );
      if (closed.rowCount === 0) return false;
      await c.query(BUMP_VERSION);
      return true;
    });
  }
}

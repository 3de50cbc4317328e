import type { PostgresDatabase } from '../../database/postgres-database.js';
import {
  PLATFORM_ADMIN_COLUMNS,
  platformAdminAssignments,
  platformAdminValues,
  toPlatformAdmin,
  type PlatformAdminRow,
} from './platform-admin-rows.js';
import {
  NEW_USER_COLUMNS,
  USER_COLUMNS,
  newUserValues,
  toUser,
  userAssignments,
  type UserRow,
} from './user-rows.js';
import type {
  PlatformAdminPatch,
  PlatformAdminRecord,
  UserPatch,
  UserRecord,
  UserRepository,
} from './user.repository.js';

/** {@link UserRepository} on the PostgreSQL metadata database. */
export class PostgresUserRepository implements UserRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async createUser(user: UserRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO users (${NEW_USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      newUserValues(user, this.db.now()),
    );
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const [r] = await this.db.query<{
      id: string;
      tenant_id: string;
      email: string;
      role: UserRecord['role'];
      password_hash: string;
      must_change_password: number;
      disabled: number;
    }>(
      'SELECT id, tenant_id, email, role, password_hash, must_change_password, disabled FROM users WHERE email = $1',
      [email.toLowerCase()],
    );
    return r
      ? {
          id: r.id,
          tenantId: r.tenant_id,
          email: r.email,
          role: r.role,
          passwordHash: r.password_hash,
          mustChangePassword: r.must_change_password === 1,
          disabled: r.disabled === 1,
        }
      : undefined;
  }

  async findUser(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const [r] = await this.db.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return r && toUser(r);
  }

  async listUsers(tenantId: string): Promise<UserRecord[]> {
    return (
      await this.db.query<UserRow>(
        `SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 ORDER BY email COLLATE "C"`,
        [tenantId],
      )
    ).map(toUser);
  }

  async updateUser(tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    const { sets, values } = userAssignments(patch, (n) => `$${n + 2}`);
    if (sets.length === 0) return this.findUser(tenantId, id);
    const [r] = await this.db.query<UserRow>(
      `UPDATE users SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $2 RETURNING ${USER_COLUMNS}`,
      [tenantId, id, ...values],
    );
    return r && toUser(r);
  }

  async createPlatformAdmin(admin: PlatformAdminRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO platform_admins (${PLATFORM_ADMIN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`,
      platformAdminValues(admin),
    );
  }

  async findPlatformAdmin(id: string): Promise<PlatformAdminRecord | undefined> {
    const [r] = await this.db.query<PlatformAdminRow>(
      `SELECT ${PLATFORM_ADMIN_COLUMNS} FROM platform_admins WHERE id = $1`,
      [id],
    );
    return r && toPlatformAdmin(r);
  }

  async findPlatformAdminByEmail(email: string): Promise<PlatformAdminRecord | undefined> {
    const [r] = await this.db.query<PlatformAdminRow>(
      `SELECT ${PLATFORM_ADMIN_COLUMNS} FROM platform_admins WHERE email = $1`,
      [email.toLowerCase()],
    );
    return r && toPlatformAdmin(r);
  }

  async updatePlatformAdmin(id: string, patch: PlatformAdminPatch): Promise<PlatformAdminRecord | undefined> {
    const { sets, values } = platformAdminAssignments(patch, (n) => `$${n + 1}`);
    if (sets.length === 0) return this.findPlatformAdmin(id);
    const [r] = await this.db.query<PlatformAdminRow>(
      `UPDATE platform_admins SET ${sets.join(', ')} WHERE id = $1 RETURNING ${PLATFORM_ADMIN_COLUMNS}`,
      [id, ...values],
    );
    return r && toPlatformAdmin(r);
  }
}

import type { SqliteDatabase } from '../../database/sqlite-database.js';
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

/** {@link UserRepository} on the SQLite metadata database. */
export class SqliteUserRepository implements UserRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async createUser(user: UserRecord): Promise<void> {
    this.db.sql
      .prepare(`INSERT INTO users (${NEW_USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(...newUserValues(user, this.db.now()));
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const r = this.db.sql.prepare('SELECT * FROM users WHERE email = ?').get(email.toLowerCase()) as
      | {
          id: string;
          tenant_id: string;
          email: string;
          role: UserRecord['role'];
          password_hash: string;
          must_change_password: number;
          disabled: number;
        }
      | undefined;
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
    const r = this.db.sql
      .prepare(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = ? AND id = ?`)
      .get(tenantId, id) as UserRow | undefined;
    return r && toUser(r);
  }

  async listUsers(tenantId: string): Promise<UserRecord[]> {
    return (
      this.db.sql
        .prepare(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = ? ORDER BY email`)
        .all(tenantId) as UserRow[]
    ).map(toUser);
  }

  async updateUser(tenantId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    const db = this.db.sql;
    const { sets, values } = userAssignments(patch, () => '?');
    if (sets.length > 0)
      db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE tenant_id = ? AND id = ?`).run(
        ...values,
        tenantId,
        id,
      );
    return this.findUser(tenantId, id);
  }

  async createPlatformAdmin(admin: PlatformAdminRecord): Promise<void> {
    this.db.sql
      .prepare(`INSERT INTO platform_admins (${PLATFORM_ADMIN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(...platformAdminValues(admin));
  }

  async findPlatformAdmin(id: string): Promise<PlatformAdminRecord | undefined> {
    const r = this.db.sql
      .prepare(`SELECT ${PLATFORM_ADMIN_COLUMNS} FROM platform_admins WHERE id = ?`)
      .get(id) as PlatformAdminRow | undefined;
    return r && toPlatformAdmin(r);
  }

  async findPlatformAdminByEmail(email: string): Promise<PlatformAdminRecord | undefined> {
    const r = this.db.sql
      .prepare(`SELECT ${PLATFORM_ADMIN_COLUMNS} FROM platform_admins WHERE email = ?`)
      .get(email.toLowerCase()) as PlatformAdminRow | undefined;
    return r && toPlatformAdmin(r);
  }

  async updatePlatformAdmin(id: string, patch: PlatformAdminPatch): Promise<PlatformAdminRecord | undefined> {
    const { sets, values } = platformAdminAssignments(patch, () => '?');
    if (sets.length > 0)
      this.db.sql.prepare(`UPDATE platform_admins SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    return this.findPlatformAdmin(id);
  }
}

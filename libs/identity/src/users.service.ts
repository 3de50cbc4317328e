import { randomUUID } from 'node:crypto';
import type { Clock, UserRole } from '@coldchain/domain';
import { ConflictError, InvalidInputError, NotFoundError } from '@coldchain/errors';
import {
  hashPassword,
  type AuditRepository,
  type SessionRepository,
  type UserRecord,
  type UserRepository,
} from '@coldchain/metadata-store';
import { AuthService } from './auth.service.js';
import type { Principal } from './principal.js';
import { SessionEndings } from './session-endings.js';

/** A user as the API shows it: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  role: UserRole;
  mustChangePassword: boolean;
  disabled: boolean;
}

export const toUserView = (u: UserRecord): UserView => ({
  id: u.id,
  email: u.email,
  role: u.role,
  mustChangePassword: u.mustChangePassword,
  disabled: u.disabled === true,
});

/** The repositories user management works on. */
export interface UsersRepositories {
  users: UserRepository;
  /** To end the sessions of a disabled user or a reset password. */
  sessions: Pick<SessionRepository, 'revokeUserSessions'>;
  audit: Pick<AuditRepository, 'recordAudit'>;
}

/**
 * Whether a tenant's user or a platform admin has this email: both share the
 * login form, so an email names one account at most. (Checked before each
 * insert; platform admins are created only at boot, under a lock, so a race
 * between the two tables is not a practical concern.)
 */
export async function emailTaken(
  users: Pick<UserRepository, 'findUserByEmail' | 'findPlatformAdminByEmail'>,
  email: string,
): Promise<boolean> {
  return (
    (await users.findUserByEmail(email)) !== undefined ||
    (await users.findPlatformAdminByEmail(email)) !== undefined
  );
}

/**
 * A tenant's users, managed by its owners: every method acts within the
 * caller's tenant only (another tenant's user is NotFoundError). New users
 * and password resets get a temporary password, returned once, that must be
 * changed at first login. Every change is in the audit trail.
 */
export class UsersService {
  constructor(
    private readonly repos: UsersRepositories,
    private readonly clock: Clock,
    /** Told when a user's sessions end (disabled, password reset). */
    private readonly sessionEndings = new SessionEndings(),
  ) {}

  async list(actor: Principal): Promise<UserView[]> {
    return (await this.repos.users.listUsers(actor.tenantId)).map(toUserView);
  }

  async get(actor: Principal, id: string): Promise<UserView> {
    return toUserView(await this.find(actor, id));
  }

  /**
   * Emails are unique across tenants and platform admins (one login form),
   * so an email taken in any tenant is a ConflictError: the one fact about
   * other tenants an owner can learn, and only by trying a specific address.
   */
  async create(
    actor: Principal,
    input: { email: string; role: UserRole },
  ): Promise<{ user: UserView; temporaryPassword: string }> {
    if (await emailTaken(this.repos.users, input.email))
      throw new ConflictError(`email ${input.email} is taken`);
    const temporaryPassword = AuthService.temporaryPassword();
    const user: UserRecord = {
      id: randomUUID(),
      tenantId: actor.tenantId,
      email: input.email.toLowerCase(),
      role: input.role,
      passwordHash: await hashPassword(temporaryPassword),
      mustChangePassword: true,
      disabled: false,
    };
    try {
      await this.repos.users.createUser(user);
    } catch (err) {
      // A concurrent request took the email between the check and the insert.
      if (await this.repos.users.findUserByEmail(input.email))
        throw new ConflictError(`email ${input.email} is taken`);
      throw err;
    }
    await this.audit(actor, 'user.create', user.id, { email: user.email, role: user.role });
    return { user: toUserView(user), temporaryPassword };
  }

  /** Changes the role or the disabled flag; disabling ends the user's sessions. Owners cannot demote or disable themselves. */
  async update(
    actor: Principal,
    id: string,
    patch: { role?: UserRole; disabled?: boolean },
  ): Promise<UserView> {
    await this.find(actor, id);
    if (
      id === actor.userId &&
      ((patch.role !== undefined && patch.role !== 'owner') || patch.disabled === true)
    )
      throw new InvalidInputError('you cannot demote or disable yourself: ask another owner', [
        'role: you cannot demote or disable yourself',
      ]);
    const updated = await this.repos.users.updateUser(actor.tenantId, id, patch);
    if (!updated) throw new NotFoundError(`user ${id}`);
    if (patch.disabled === true) {
      await this.repos.sessions.revokeUserSessions(id, this.clock.now(), 'disabled');
      this.sessionEndings.notify({ userId: id });
    }
    await this.audit(actor, 'user.update', id, patch);
    return toUserView(updated);
  }

  /** A new temporary password (returned once); the user's sessions end and the next login must change it. */
  async resetPassword(actor: Principal, id: string): Promise<{ user: UserView; temporaryPassword: string }> {
    await this.find(actor, id);
    const temporaryPassword = AuthService.temporaryPassword();
    const updated = await this.repos.users.updateUser(actor.tenantId, id, {
      passwordHash: await hashPassword(temporaryPassword),
      mustChangePassword: true,
    });
    if (!updated) throw new NotFoundError(`user ${id}`);
    await this.repos.sessions.revokeUserSessions(id, this.clock.now(), 'password_reset');
    this.sessionEndings.notify({ userId: id });
    await this.audit(actor, 'user.reset_password', id, {});
    return { user: toUserView(updated), temporaryPassword };
  }

  private async find(actor: Principal, id: string): Promise<UserRecord> {
    const user = await this.repos.users.findUser(actor.tenantId, id);
    if (!user) throw new NotFoundError(`user ${id}`);
    return user;
  }

  private async audit(actor: Principal, action: string, objectId: string, detail: unknown): Promise<void> {
    await this.repos.audit.recordAudit({
      tenantId: actor.tenantId,
      actorId: actor.userId,
      actorEmail: actor.email,
      action,
      objectType: 'user',
      objectId,
      at: this.clock.now(),
      detail,
    });
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, EpochMs } from '@coldchain/domain';
import { ConflictError, NotFoundError } from '@coldchain/errors';
import {
  hashPassword,
  type AuditEntry,
  type AuditRepository,
  type TenantRepository,
  type TenantSettings,
  type UserRecord,
  type UserRepository,
} from '@coldchain/metadata-store';
import { AuthService } from './auth.service.js';
import { IDENTITY_DEFAULTS } from './identity.defaults.js';
import type { PlatformPrincipal } from './principal.js';
import { SessionEndings } from './session-endings.js';
import { emailTaken, toUserView, type UserView } from './users.service.js';

const DAY_MS = 86_400_000;

/**
 * A tenant as the platform administration shows it. `status`: `open`;
 * `read_only` once closed, while its users may still log in to read and
 * export; `closed` after.
 */
export interface TenantView extends TenantSettings {
  status: 'open' | 'read_only' | 'closed';
}

/** The repositories tenant administration works on. */
export interface TenantsRepositories {
  tenants: TenantRepository;
  /** To refuse an owner email another account has. */
  users: Pick<UserRepository, 'findUserByEmail' | 'findPlatformAdminByEmail'>;
  audit: AuditRepository;
}

/** A tenant id from its name: a readable slug and random characters, e.g. `acme-cold-chain-k3x9q2`. */
export function newTenantId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, IDENTITY_DEFAULTS.tenantIdSlugChars)
    .replace(/-+$/, '');
  const suffix = Array.from(randomBytes(IDENTITY_DEFAULTS.tenantIdRandomChars), (b) =>
    'abcdefghijklmnopqrstuvwxyz0123456789'.charAt(b % 36),
  ).join('');
  return `${slug || 'tenant'}-${suffix}`;
}

/**
 * The platform administration of tenants (customer accounts), for platform
 * admins only: open a tenant with its first owner, list them, close one.
 * Framework-free, the clock passed in. The platform admin never becomes a
 * member of a tenant: it creates the owner (who gets a temporary password to
 * change at first login) and reads no tenant data beyond the tenant's own
 * record and its lifecycle entries in the audit trail. Every change is in
 * the tenant's audit trail with the platform admin as actor, where the
 * tenant's owners see it too.
 */
export class TenantsService {
  constructor(
    private readonly repos: TenantsRepositories,
    private readonly clock: Clock,
    /** Days a closed tenant's users keep read-only access when the closing names none. */
    private readonly closedReadOnlyDays: number,
    /** Told when a tenant closes: what its users hold open (the live stream) ends. */
    private readonly sessionEndings = new SessionEndings(),
  ) {}

  async list(_admin: PlatformPrincipal): Promise<TenantView[]> {
    return (await this.repos.tenants.listTenants()).map((t) => this.view(t));
  }

  async get(_admin: PlatformPrincipal, id: string): Promise<TenantView> {
    return this.view(await this.find(id));
  }

  /**
   * Opens a tenant and its first owner (tenant, user and version bump in one
   * transaction). `id` defaults to one derived from the name. A taken id or
   * email is a ConflictError and nothing is created.
   */
  async create(
    admin: PlatformPrincipal,
    input: { id?: string; name: string; timeZone?: string; ownerEmail: string },
  ): Promise<{ tenant: TenantView; owner: UserView; temporaryPassword: string }> {
    const id = input.id ?? newTenantId(input.name);
    const conflict = async (): Promise<ConflictError | undefined> => {
      if (await this.repos.tenants.findTenant(id)) return new ConflictError(`tenant id ${id} is taken`);
      if (await emailTaken(this.repos.users, input.ownerEmail))
        return new ConflictError(`email ${input.ownerEmail} is taken`);
      return undefined;
    };
    const before = await conflict();
    if (before) throw before;
    const temporaryPassword = AuthService.temporaryPassword();
    const owner: UserRecord = {
      id: randomUUID(),
      tenantId: id,
      email: input.ownerEmail.toLowerCase(),
      role: 'owner',
      passwordHash: await hashPassword(temporaryPassword),
      mustChangePassword: true,
      disabled: false,
    };
    let tenant: TenantSettings;
    try {
      tenant = await this.repos.tenants.openTenant(
        { id, name: input.name, ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}) },
        owner,
      );
    } catch (err) {
      // A concurrent request took the id or the email between the check and the insert.
      throw (await conflict()) ?? err;
    }
    await this.audit(admin, id, 'tenant.create', 'tenant', id, {
      name: tenant.name,
      ...(tenant.timeZone !== undefined ? { timeZone: tenant.timeZone } : {}),
      owner: owner.email,
    });
    await this.audit(admin, id, 'user.create', 'user', owner.id, { email: owner.email, role: owner.role });
    return { tenant: this.view(tenant), owner: toUserView(owner), temporaryPassword };
  }

  /**
   * Closes a tenant (contract terminated): from the next metadata refresh
   * (METADATA_REFRESH_MS) its hubs are refused at the gateway and its tags
   * are unknown, so nothing more is stored for it; its users may still log
   * in, read only, for `readOnlyDays` (default: the platform's), to export
   * their data; then they cannot log in at all. The data itself stays.
   * Closing a closed tenant is a ConflictError: the first closing stands.
   */
  async close(
    admin: PlatformPrincipal,
    id: string,
    input: { readOnlyDays?: number; reason?: string } = {},
  ): Promise<TenantView> {
    const tenant = await this.find(id);
    if (tenant.closedAt !== undefined) throw this.alreadyClosed(tenant);
    const at = this.clock.now();
    const readOnlyDays = input.readOnlyDays ?? this.closedReadOnlyDays;
    const readOnlyUntil: EpochMs = at + readOnlyDays * DAY_MS;
    if (!(await this.repos.tenants.closeTenant(id, { at, by: admin.email, readOnlyUntil }))) {
      const now = await this.find(id); // closed by a concurrent request meanwhile
      throw this.alreadyClosed(now);
    }
    this.sessionEndings.notify({ tenantId: id });
    await this.audit(admin, id, 'tenant.close', 'tenant', id, {
      readOnlyDays,
      readOnlyUntil,
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
    });
    return this.view(await this.find(id));
  }

  /** The tenant's lifecycle entries of the audit trail (created, settings, closed), newest first. */
  async history(_admin: PlatformPrincipal, id: string, limit: number): Promise<AuditEntry[]> {
    await this.find(id);
    return this.repos.audit.listAudit(id, { objectType: 'tenant', objectId: id, limit });
  }

  private view(t: TenantSettings): TenantView {
    const status =
      t.closedAt === undefined
        ? 'open'
        : this.clock.now() < (t.readOnlyUntil ?? t.closedAt)
          ? 'read_only'
          : 'closed';
    return { ...t, status };
  }

  private async find(id: string): Promise<TenantSettings> {
    const tenant = await this.repos.tenants.findTenant(id);
    if (!tenant) throw new NotFoundError(`tenant ${id}`);
    return tenant;
  }

  private alreadyClosed(t: TenantSettings): ConflictError {
    return new ConflictError(
      `tenant ${t.id} is closed already (${new Date(t.closedAt ?? 0).toISOString()} by ${t.closedBy ?? 'unknown'})`,
    );
  }

  private async audit(
    admin: PlatformPrincipal,
    tenantId: string,
    action: string,
    objectType: 'tenant' | 'user',
    objectId: string,
    detail: unknown,
  ): Promise<void> {
    await this.repos.audit.recordAudit({
      tenantId,
      actorId: admin.userId,
      actorEmail: admin.email,
      action,
      objectType,
      objectId,
      at: this.clock.now(),
      detail,
    });
  }
}

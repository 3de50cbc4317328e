import { randomUUID } from 'node:crypto';
import { isValidImei, normalizeMac, type HubStatus } from '@coldchain/contract';
import type { Clock, EpochMs, Hub, Profile, ProfileRules, Tag } from '@coldchain/domain';
import { ConflictError, InvalidInputError, NotFoundError } from '@coldchain/errors';
import { validateProfile } from '@coldchain/alarm-engine';
import {
  generateSecret,
  hashHubSecret,
  type AuditEntry,
  type AuditObjectType,
  type AuditRepository,
  type HubRepository,
  type HubStatusRepository,
  type ProfileRepository,
  type TagRepository,
  type UserRepository,
} from '@coldchain/metadata-store';

/** Who acts: the authenticated caller (a Principal of @coldchain/identity fits). */
export interface Actor {
  userId: string;
  tenantId: string;
  email: string;
}

/** A hub as the API shows it: identity plus last known connection state; never the secret hash. */
export interface HubView extends Hub {
  status?: HubStatus;
  statusAt?: EpochMs;
}

export interface ProfileInput {
  name: string;
  /** Inclusive bounds, °C. */
  temperature: { min: number; max: number };
  rules?: ProfileRules;
}

/** The repositories the fleet service works on. */
export interface FleetRepositories {
  hubs: HubRepository;
  hubStatus: HubStatusRepository;
  tags: TagRepository;
  profiles: ProfileRepository;
  /** Only to tell whether a user is the tenant's, for a user's history. */
  users: Pick<UserRepository, 'findUser'>;
  audit: AuditRepository;
}

/**
 * A tenant's fleet as operators manage it: hubs (by IMEI), tags (by MAC) and
 * product profiles. Framework-free, the clock passed in. Every method acts
 * within the actor's tenant only: another tenant's object is NotFoundError,
 * exactly as a missing one (no enumeration). Every change is written to the
 * audit trail (who, when, what; never a secret). Edits reach the gateway and
 * ingest through the metadata version (MetadataCache reloads within
 * METADATA_REFRESH_MS).
 */
export class FleetService {
  constructor(
    private readonly repos: FleetRepositories,
    private readonly clock: Clock,
  ) {}

  // --- hubs ---------------------------------------------------------------

  async listHubs(actor: Actor): Promise<HubView[]> {
    const [hubs, statuses] = await Promise.all([
      this.repos.hubs.listHubs(actor.tenantId),
      this.repos.hubStatus.hubStatuses(actor.tenantId),
    ]);
    const byImei = new Map(statuses.map((s) => [s.imei, s]));
    return hubs.map((h) => withStatus(h, byImei.get(h.imei)));
  }

  async getHub(actor: Actor, imei: string): Promise<HubView> {
    const hub = await this.repos.hubs.findHub(actor.tenantId, imei);
    if (!hub) throw new NotFoundError(`hub ${imei}`);
    const status = (await this.repos.hubStatus.hubStatuses(actor.tenantId)).find((s) => s.imei === imei);
    return withStatus(hub, status);
  }

  /**
   * Registers a hub by IMEI (15 digits, Luhn check digit) and issues its MQTT
   * secret, returned here once and stored only as an HMAC.
   */
  async registerHub(
    actor: Actor,
    input: { imei: string; name: string },
  ): Promise<{ hub: Hub; secret: string }> {
    if (!isValidImei(input.imei))
      throw new InvalidInputError(`imei: "${input.imei}" is not an IMEI`, [
        'imei: expected 15 digits whose last is the Luhn check digit',
      ]);
    if (await this.repos.hubs.isRegistered(input.imei))
      throw new ConflictError(`hub ${input.imei} is already registered`);
    const secret = generateSecret();
    const hub: Hub = { imei: input.imei, tenantId: actor.tenantId, name: input.name };
    await this.registering({ imei: hub.imei }, () =>
      this.repos.hubs.createHub({ ...hub, secretHash: hashHubSecret(secret) }),
    );
    await this.audit(actor, 'hub', hub.imei, 'hub.create', { name: hub.name });
    return { hub, secret };
  }

  /**
   * Issues a new secret for the hub (returned once). The old one stops working
   * as soon as the gateway's cache reloads (METADATA_REFRESH_MS); a connected
   * hub stays connected until it reconnects.
   */
  async rotateHubSecret(actor: Actor, imei: string): Promise<{ imei: string; secret: string }> {
    const secret = generateSecret();
    if (!(await this.repos.hubs.setHubSecret(actor.tenantId, imei, hashHubSecret(secret))))
      throw new NotFoundError(`hub ${imei}`);
    await this.audit(actor, 'hub', imei, 'hub.rotate_secret', {});
    return { imei, secret };
  }

  // --- tags ---------------------------------------------------------------

  async listTags(actor: Actor): Promise<Tag[]> {
    return this.repos.tags.listTags(actor.tenantId);
  }

  async getTag(actor: Actor, rawMac: string): Promise<Tag> {
    const mac = normalizeMac(rawMac);
    const tag = mac && (await this.repos.tags.findTag(actor.tenantId, mac));
    if (!tag) throw new NotFoundError(`tag ${rawMac}`);
    return tag;
  }

  /** Registers a tag by MAC in any common spelling (stored as `AA:BB:CC:DD:EE:FF`), optionally with a profile. */
  async registerTag(actor: Actor, input: { mac: string; name: string; profileId?: string }): Promise<Tag> {
    const mac = normalizeMac(input.mac);
    if (!mac)
      throw new InvalidInputError(`mac: "${input.mac}" is not a MAC address`, [
        'mac: expected a MAC address such as AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff',
      ]);
    if (input.profileId !== undefined) await this.requireProfile(actor, input.profileId);
    if (await this.repos.tags.isRegistered(mac)) throw new ConflictError(`tag ${mac} is already registered`);
    const tag: Tag = { mac, tenantId: actor.tenantId, name: input.name, profileId: input.profileId };
    await this.registering({ mac }, () => this.repos.tags.createTag(tag));
    await this.audit(actor, 'tag', mac, 'tag.create', { name: tag.name, profileId: tag.profileId ?? null });
    return tag;
  }

  /** Renames a tag or (un)assigns its profile (`profileId: null` unassigns). */
  async updateTag(
    actor: Actor,
    rawMac: string,
    patch: { name?: string; profileId?: string | null },
  ): Promise<Tag> {
    const current = await this.getTag(actor, rawMac);
    if (typeof patch.profileId === 'string') await this.requireProfile(actor, patch.profileId);
    const updated = await this.repos.tags.updateTag(actor.tenantId, current.mac, patch);
    if (!updated) throw new NotFoundError(`tag ${rawMac}`);
    await this.audit(actor, 'tag', current.mac, 'tag.update', patch);
    return updated;
  }

  // --- profiles -----------------------------------------------------------

  async listProfiles(actor: Actor): Promise<Profile[]> {
    return this.repos.profiles.listProfiles(actor.tenantId);
  }

  async getProfile(actor: Actor, id: string): Promise<Profile> {
    const profile = await this.repos.profiles.findProfile(actor.tenantId, id);
    if (!profile) throw new NotFoundError(`profile ${id}`);
    return profile;
  }

  /**
   * Creates a profile at version 1. Refuses a profile `validateProfile` (the
   * bounds and the alarm engine's rules) finds problems with, with
   * InvalidInputError listing every problem, before anything is saved.
   */
  async createProfile(actor: Actor, input: ProfileInput): Promise<Profile> {
    refuseInvalid({ id: '', tenantId: actor.tenantId, ...input });
    const saved = await this.repos.profiles.saveProfile({
      id: randomUUID(),
      tenantId: actor.tenantId,
      ...input,
    });
    await this.audit(actor, 'profile', saved.id, 'profile.create', profileDetail(saved));
    return saved;
  }

  /**
   * Replaces a profile's content, validated as {@link createProfile} does; the
   * repository bumps its version. The audit trail keeps every version.
   */
  async updateProfile(actor: Actor, id: string, input: ProfileInput): Promise<Profile> {
    await this.getProfile(actor, id);
    refuseInvalid({ id, tenantId: actor.tenantId, ...input });
    const saved = await this.repos.profiles.saveProfile({ id, tenantId: actor.tenantId, ...input });
    await this.audit(actor, 'profile', id, 'profile.update', profileDetail(saved));
    return saved;
  }

  // --- audit trail --------------------------------------------------------

  /** The changes to one object, newest first; NotFoundError when the object is not the tenant's. */
  async history(
    actor: Actor,
    objectType: AuditObjectType,
    objectId: string,
    limit: number,
  ): Promise<AuditEntry[]> {
    let id = objectId;
    if (objectType === 'hub') await this.getHub(actor, objectId);
    else if (objectType === 'tag') id = (await this.getTag(actor, objectId)).mac;
    else if (objectType === 'profile') await this.getProfile(actor, objectId);
    else if (!(await this.repos.users.findUser(actor.tenantId, objectId)))
      throw new NotFoundError(`user ${objectId}`);
    return this.repos.audit.listAudit(actor.tenantId, { objectType, objectId: id, limit });
  }

  async auditTrail(
    actor: Actor,
    filter: { objectType?: AuditObjectType; limit: number },
  ): Promise<AuditEntry[]> {
    return this.repos.audit.listAudit(actor.tenantId, filter);
  }

  /**
   * Runs `create`; when it fails because a concurrent request registered the
   * same IMEI / MAC between the check and the insert, answers ConflictError as
   * the check would have (the engines raise different errors for a duplicate key).
   */
  private async registering(
    device: { imei: string } | { mac: string },
    create: () => Promise<void>,
  ): Promise<void> {
    try {
      await create();
    } catch (err) {
      const taken =
        'imei' in device
          ? await this.repos.hubs.isRegistered(device.imei)
          : await this.repos.tags.isRegistered(device.mac);
      if (taken)
        throw new ConflictError(
          `${'imei' in device ? `hub ${device.imei}` : `tag ${device.mac}`} is already registered`,
        );
      throw err;
    }
  }

  private async requireProfile(actor: Actor, profileId: string): Promise<void> {
    // Another tenant's profile is as unknown as a missing one: the same 400.
    if (!(await this.repos.profiles.findProfile(actor.tenantId, profileId)))
      throw new InvalidInputError(`profileId: no profile "${profileId}"`, [
        `profileId: no profile "${profileId}"`,
      ]);
  }

  private async audit(
    actor: Actor,
    objectType: AuditObjectType,
    objectId: string,
    action: string,
    detail: unknown,
  ): Promise<void> {
    await this.repos.audit.recordAudit({
      tenantId: actor.tenantId,
      actorId: actor.userId,
      actorEmail: actor.email,
      action,
      objectType,
      objectId,
      at: this.clock.now(),
      detail,
    });
  }
}

const withStatus = (hub: Hub, status: { status: HubStatus; at: EpochMs } | undefined): HubView =>
  status ? { ...hub, status: status.status, statusAt: status.at } : hub;

const profileDetail = (p: Profile): unknown => ({
  version: p.version,
  name: p.name,
  temperature: p.temperature,
  rules: p.rules ?? null,
});

/** InvalidInputError listing every problem `validateProfile` finds (bounds, rules); none = returns. */
function refuseInvalid(profile: Omit<Profile, 'version'>): void {
  const problems = validateProfile({ ...profile, version: 0 });
  if (problems.length > 0) throw new InvalidInputError(`profile refused: ${problems.join('; ')}`, problems);
}

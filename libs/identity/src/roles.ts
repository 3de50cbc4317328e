import type { UserRole } from '@coldchain/domain';

/**
 * The three roles of a tenant's users, from most to least powerful:
 * - `owner` (the admin): everything, including users and hub credentials;
 * - `operator`: registers hubs and tags, edits profiles and assignments;
 * - `viewer`: reads only.
 */
export const ROLES: readonly UserRole[] = ['owner', 'operator', 'viewer'];

/** Who may write fleet objects (hubs, tags, profiles). */
export const FLEET_WRITERS: readonly UserRole[] = ['owner', 'operator'];
/** Who may manage users and rotate hub secrets. */
export const ADMINS: readonly UserRole[] = ['owner'];
/** Every role: reading the tenant's data. */
export const READERS: readonly UserRole[] = ROLES;

export const isRole = (value: unknown): value is UserRole => ROLES.includes(value as UserRole);

import { randomUUID } from 'node:crypto';
import type { Clock } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';
import { hashPassword, type MetadataDatabase, type UserRepository } from '@coldchain/metadata-store';
import { AuthService } from './auth.service.js';

/** What {@link ensurePlatformAdmin} did: nothing, or created the admin with a temporary password (shown once). */
export type PlatformAdminBootstrap = { created: false } | { created: true; temporaryPassword: string };

/**
 * Makes sure a platform admin with `email` exists (PLATFORM_ADMIN_EMAIL, at
 * API start): creates it when missing, with a random temporary password that
 * must be changed at first login, and returns that password once. Runs under
 * the database's cross-process lock, so API processes starting together create
 * it once. An email that belongs to a tenant's user is refused: a platform
 * admin is a member of no tenant, and one login form means one account per email.
 */
export async function ensurePlatformAdmin(
  repos: {
    /** Its cross-process lock. */
    database: Pick<MetadataDatabase, 'withLock'>;
    users: Pick<UserRepository, 'findPlatformAdminByEmail' | 'findUserByEmail' | 'createPlatformAdmin'>;
  },
  email: string,
  clock: Clock,
): Promise<PlatformAdminBootstrap> {
  return repos.database.withLock('platform-admin', async () => {
    if (await repos.users.findPlatformAdminByEmail(email)) return { created: false };
    if (await repos.users.findUserByEmail(email))
      throw new InvalidInputError(
        `PLATFORM_ADMIN_EMAIL ${email} belongs to a tenant's user: give the platform admin an address of its own`,
        ['PLATFORM_ADMIN_EMAIL: belongs to a tenant’s user'],
      );
    const temporaryPassword = AuthService.temporaryPassword();
    await repos.users.createPlatformAdmin({
      id: randomUUID(),
      email: email.toLowerCase(),
      passwordHash: await hashPassword(temporaryPassword),
      mustChangePassword: true,
      disabled: false,
      createdAt: clock.now(),
    });
    return { created: true, temporaryPassword };
  });
}

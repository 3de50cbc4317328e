import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { UserRole } from '@coldchain/domain';
import { hashPassword } from '@coldchain/metadata-store';
import type { RunningPlatform } from './platform.js';
import { repositoriesOf } from './metadata.js';

/** POST /api/v1/auth/login: the access token (the test fails on anything but 200). */
export async function loginToken(httpUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${httpUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/**
 * A user with a known password written straight into the platform's metadata
 * store (no temporary password to change), in `tenantId`, which is created
 * first when `newTenant` names it. Returns its credentials and id.
 */
export async function seedUser(
  platform: RunningPlatform,
  options: { tenantId: string; role: UserRole; newTenant?: string },
): Promise<{ id: string; tenantId: string; email: string; password: string }> {
  const store = repositoriesOf(platform.app);
  if (options.newTenant !== undefined)
    await store.tenants.createTenant({ id: options.tenantId, name: options.newTenant });
  const user = {
    id: randomUUID(),
    tenantId: options.tenantId,
    email: `${options.role}-${randomUUID()}@${options.tenantId}.test`,
    password: `password of ${options.role} ${randomUUID()}`,
  };
  await store.users.createUser({
    id: user.id,
    tenantId: user.tenantId,
    email: user.email,
    role: options.role,
    passwordHash: await hashPassword(user.password),
    mustChangePassword: false,
  });
  return user;
}

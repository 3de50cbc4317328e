import { randomBytes, randomUUID } from 'node:crypto';
import { imeiFromBody } from '@coldchain/contract';
import type { AlertEvent } from '@coldchain/domain';
import { startMetadata } from '../support/metadata.js';
import {
  hashHubSecret,
  type MetadataRepositories,
  type PostgresDatabase,
  type SqliteDatabase,
  type UserRecord,
} from '@coldchain/metadata-store';

/** Returns an unstarted database handle of the engine under test (a fresh one on each call, same data). */
export type OpenDatabase = () => SqliteDatabase | PostgresDatabase;

/** The started handle and every repository on it, as a process's MetadataStoreModule would build them. */
export type MetadataFixture = MetadataRepositories & { database: SqliteDatabase | PostgresDatabase };

/** Opens and migrates a handle from `open`, and builds the repositories on it. */
export function openFixture(open: OpenDatabase): Promise<MetadataFixture> {
  return startMetadata(open());
}

/** Fresh ids of one tenant's owner, profile, hub and tag, and of a second tenant (unique per run on a shared database). */
export function tenantFleetIds() {
  return {
    tenantId: `t-${randomUUID()}`,
    otherTenant: `t-${randomUUID()}`,
    userId: randomUUID(),
    email: `owner-${randomUUID()}@example.com`,
    imei: imeiFromBody('35' + String(Date.now()).slice(-12)),
    mac: ['AA', 'BB', 'CC', ...randomBytes(3).toString('hex').toUpperCase().match(/../g)!].join(':'),
    profileId: `p-${randomUUID()}`,
  };
}

/** Creates the tenants, owner, profile, hub and tag `ids` name: the fleet the operator-side contracts work on. */
export async function seedTenantFleet(
  store: MetadataFixture,
  ids: ReturnType<typeof tenantFleetIds>,
): Promise<void> {
  const { tenantId, otherTenant, userId, email, imei, mac, profileId } = ids;
  await store.tenants.createTenant({ id: tenantId, name: 'Acme' });
  await store.tenants.createTenant({ id: otherTenant, name: 'Other' });
  await store.users.createUser({
    id: userId,
    tenantId,
    email,
    role: 'owner',
    passwordHash: 'scrypt$x',
    mustChangePassword: true,
  });
  await store.profiles.saveProfile({
    id: profileId,
    tenantId,
    name: 'Vaccines',
    temperature: { min: 2, max: 8 },
  });
  await store.hubs.createHub({ imei, tenantId, name: 'Truck', secretHash: hashHubSecret('old-secret') });
  await store.tags.createTag({ mac, tenantId, name: 'Pallet' });
}

/** An alert event for store tests; `tag` may be overridden. */
export function alert(
  tenantId: string,
  key: string,
  emittedAt: number,
  tag = 'AA:BB:CC:DD:EE:01',
): AlertEvent {
  return {
    v: 1,
    key,
    tenantId,
    tag,
    hub: '490154203237518',
    profileId: 'p1',
    profileVersion: 1,
    rule: 'temperature.high',
    severity: 'critical',
    transition: 'raised',
    startedAt: emittedAt - 1000,
    value: 9.5,
    bound: 8,
    unit: '°C',
    late: false,
    emittedAt,
  };
}

/** A tenant's first owner. */
export const owner = (tenantId: string, email = `owner-${randomUUID()}@example.com`): UserRecord => ({
  id: randomUUID(),
  tenantId,
  email,
  role: 'owner',
  passwordHash: 'scrypt$x',
  mustChangePassword: true,
});

/**
 * How `promise` settled. The engines' constraint errors are not asserted with
 * `rejects.toThrow()`: better-sqlite3's error class belongs to the first jest
 * realm that loaded the native module, so in another test file of the same
 * worker it is not an `Error` of this realm and `toThrow` sees nothing.
 */
export const settled = (promise: Promise<unknown>): Promise<'resolved' | 'rejected'> =>
  promise.then(
    () => 'resolved',
    () => 'rejected',
  );

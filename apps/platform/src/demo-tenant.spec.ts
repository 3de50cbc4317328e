import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidImei } from '@coldchain/contract';
import { MetadataCache, SqliteDatabase, metadataRepositories } from '@coldchain/metadata-store';
import { readDemoCredentials, seedDemoTenant, writeDemoCredentials } from './demo-tenant.js';

/** A started in-memory handle and the repositories on it. */
async function open() {
  const database = new SqliteDatabase(':memory:');
  await database.start();
  return { database, ...metadataRepositories(database) };
}

describe('demo seed', () => {
  it('seeds hubs that authenticate with the written secrets and tags with profiles', async () => {
    const store = await open();
    expect(await store.tenants.isEmpty()).toBe(true);
    const creds = await seedDemoTenant(store, { hubs: 2, tagsPerHub: 3 });
    expect(creds.hubs).toHaveLength(2);
    expect(creds.tags).toHaveLength(6);
    expect(creds.users).toHaveLength(1);
    expect(creds.hubs.every((h) => isValidImei(h.imei))).toBe(true);
    const cache = new MetadataCache(store.database, 60_000);
    await cache.start();
    for (const h of creds.hubs) expect(cache.authenticateHub(h.imei, h.secret)?.tenantId).toBe('demo');
    for (const t of creds.tags) {
      expect(cache.profileForTag('demo', t.mac)?.temperature).toEqual(t.profile.temperature);
    }
    cache.stop();
    const out = mkdtempSync(join(tmpdir(), 'cc-creds-'));
    writeDemoCredentials(out, creds);
    expect(readDemoCredentials(out)).toEqual(creds);
    await store.database.close();
  });
});

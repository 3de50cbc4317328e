import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '@coldchain/config';
import { imeiFromBody } from '@coldchain/contract';
import {
  generateSecret,
  hashHubSecret,
  hashPassword,
  type MetadataRepositories,
} from '@coldchain/metadata-store';

/** The repositories the demo seed writes to. */
export type DemoSeedRepositories = Pick<
  MetadataRepositories,
  'tenants' | 'profiles' | 'hubs' | 'tags' | 'users'
>;

/** The machine-readable demo credentials written to `DATA_DIR/demo-credentials.json`. */
export interface DemoCredentials {
  hubs: Array<{ imei: string; secret: string }>;
  tags: Array<{
    mac: string;
    hub: string;
    profile: { name: string; temperature: { min: number; max: number } };
  }>;
  users: Array<{ email: string; password: string }>;
}

export const DEMO_TENANT = { id: 'demo', name: 'Demo Cold Logistics' } as const;

const DEMO_PROFILES = [
  { id: 'demo-vaccines', name: 'Vaccines 2–8 °C', temperature: { min: 2, max: 8 } },
  { id: 'demo-frozen', name: 'Frozen food −25…−18 °C', temperature: { min: -25, max: -18 } },
  { id: 'demo-fresh', name: 'Fresh produce 0–4 °C', temperature: { min: 0, max: 4 } },
] as const;

const randomDigits = (n: number): string => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

const randomMac = (): string =>
  [
    'C0',
    'FF',
    'EE',
    ...Array.from(randomBytes(3), (b) => b.toString(16).padStart(2, '0').toUpperCase()),
  ].join(':');

/**
 * Seeds the demo tenant: three product profiles, `hubs` hubs with `tagsPerHub`
 * tags each (profiles assigned in turn), and one owner with a random
 * password. Secrets are random per install and returned in clear once, for
 * the credentials file; the store keeps only hashes. `mustChangePassword`
 * (default true) makes the owner choose a password at first login; only the
 * embedded quick start, the explicit demo run, seeds without it.
 */
export async function seedDemoTenant(
  repos: DemoSeedRepositories,
  options: { hubs: number; tagsPerHub: number; mustChangePassword?: boolean },
): Promise<DemoCredentials> {
  await repos.tenants.createTenant({ ...DEMO_TENANT });
  for (const p of DEMO_PROFILES)
    await repos.profiles.saveProfile({ ...p, tenantId: DEMO_TENANT.id, temperature: { ...p.temperature } });
  const creds: DemoCredentials = { hubs: [], tags: [], users: [] };
  let t = 0;
  for (let h = 0; h < options.hubs; h++) {
    // 35 693803 is a made-up TAC (reporting body 35 is valid); the rest is random, the last digit Luhn.
    const imei = imeiFromBody('35693803' + randomDigits(6));
    const secret = generateSecret();
    await repos.hubs.createHub({
      imei,
      tenantId: DEMO_TENANT.id,
      name: `Demo hub ${h + 1}`,
      secretHash: hashHubSecret(secret),
    });
    creds.hubs.push({ imei, secret });
    for (let k = 0; k < options.tagsPerHub; k++, t++) {
      const profile = DEMO_PROFILES[t % DEMO_PROFILES.length];
      const mac = randomMac();
      await repos.tags.createTag({
        mac,
        tenantId: DEMO_TENANT.id,
        name: `Demo tag ${t + 1}`,
        profileId: profile.id,
      });
      creds.tags.push({
        mac,
        hub: imei,
        profile: { name: profile.name, temperature: { ...profile.temperature } },
      });
    }
  }
  const email = 'operator@demo.coldchain.local';
  const password = generateSecret(12);
  await repos.users.createUser({
    id: randomUUID(),
    tenantId: DEMO_TENANT.id,
    email,
    role: 'owner',
    passwordHash: await hashPassword(password),
    mustChangePassword: options.mustChangePassword ?? true,
  });
  creds.users.push({ email, password });
  return creds;
}

export const demoCredentialsPath = (dataDir: string): string => join(dataDir, 'demo-credentials.json');

/** Writes the demo credentials to `DATA_DIR/demo-credentials.json`, mode 0600; returns the path. */
export function writeDemoCredentials(dataDir: string, creds: DemoCredentials): string {
  const file = demoCredentialsPath(dataDir);
  writePrivateFile(file, JSON.stringify(creds, null, 2) + '\n');
  return file;
}

export function readDemoCredentials(dataDir: string): DemoCredentials | undefined {
  try {
    return JSON.parse(readFileSync(demoCredentialsPath(dataDir), 'utf8')) as DemoCredentials;
  } catch {
    return undefined;
  }
}

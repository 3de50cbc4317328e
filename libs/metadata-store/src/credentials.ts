import {
  createHmac,
  randomBytes,
  scrypt as scryptCb,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** Tunables of credential hashing, units in the names. */
export const CREDENTIAL_DEFAULTS = {
  /** scrypt cost for human passwords (memory-hard: 128 · N · r bytes = 16 MiB). */
  scryptN: 16384,
  scryptR: 8,
  scryptP: 1,
  keyBytes: 32,
  saltBytes: 16,
  /** Entropy of generated hub secrets and demo passwords, bytes. */
  secretBytes: 16,
};

/** A random secret for a hub or a temporary password, URL-safe. */
export function generateSecret(bytes = CREDENTIAL_DEFAULTS.secretBytes): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Hub secrets are machine-generated with 128 bits of entropy, so a keyed
 * SHA-256 suffices and keeps MQTT CONNECT cheap when a thousand hubs reconnect
 * at once; scrypt is kept for human passwords, which are guessable.
 */
export function hashHubSecret(secret: string): string {
  const salt = randomBytes(CREDENTIAL_DEFAULTS.saltBytes);
  return `hs256$${salt.toString('base64url')}$${createHmac('sha256', salt).update(secret).digest('base64url')}`;
}

export function verifyHubSecret(secret: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'hs256' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = createHmac('sha256', Buffer.from(salt, 'base64url')).update(secret).digest();
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export async function hashPassword(password: string): Promise<string> {
  const { scryptN: N, scryptR: r, scryptP: p, keyBytes } = CREDENTIAL_DEFAULTS;
  const salt = randomBytes(CREDENTIAL_DEFAULTS.saltBytes);
  const key = await scrypt(password, salt, keyBytes, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(key, expected);
}

import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from './data-dir.js';
import { SECRET_MIN_BYTES } from './env.schema.js';
import { WeakSecretError } from './weak-secret.error.js';

/**
 * The files in DATA_DIR that hold a generated key, by the variable that
 * replaces them when set.
 */
export const SECRET_FILES = {
  JWT_SECRET: 'jwt-secret',
  ACK_LINK_SECRET: 'ack-link-secret',
  REPORT_SIGNING_KEY: 'report-signing-key',
} as const;

/** The key in `file`, refused under {@link SECRET_MIN_BYTES} bytes (see {@link readOrCreateSecretFile}). */
function readSecretFile(file: string, envKey: string): string {
  const secret = readFileSync(file, 'utf8').trim();
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes < SECRET_MIN_BYTES) throw new WeakSecretError(file, envKey, bytes, SECRET_MIN_BYTES);
  return secret;
}

/**
 * Checks, before anything else opens DATA_DIR, every key file an app would
 * read (the variable unset, the file present): a short one throws
 * {@link WeakSecretError} before a store is opened or the demo seeded, so a
 * refused boot leaves nothing half done.
 */
export function checkSecretFiles(
  config: { DATA_DIR: string } & Partial<Record<keyof typeof SECRET_FILES, string>>,
): void {
  for (const [envKey, fileName] of Object.entries(SECRET_FILES) as Array<
    [keyof typeof SECRET_FILES, string]
  >) {
    const file = join(config.DATA_DIR, fileName);
    if (config[envKey] === undefined && existsSync(file)) readSecretFile(file, envKey);
  }
}

/**
 * The key kept in `DATA_DIR/<fileName>` for a secret the environment leaves
 * unset (JWT_SECRET, ACK_LINK_SECRET): generated once (32 random bytes, hex,
 * mode 0600) when missing; when present, read (surrounding whitespace
 * dropped) and refused under {@link SECRET_MIN_BYTES} bytes with a
 * {@link WeakSecretError} naming the file and `envKey`: an empty or short
 * file would make tokens, ack links and SMS codes forgeable.
 * Processes sharing DATA_DIR and starting together read the one written first.
 */
export function readOrCreateSecretFile(
  dataDir: string,
  fileName: string,
  envKey: string,
): { secret: string; file: string; generated: boolean } {
  const file = join(dataDir, fileName);
  let generated = false;
  // Written whole under a private name, then linked into place: a process starting beside this
  // one finds either no file or a complete key, never a half-written (short) one.
  if (!existsSync(file)) {
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writePrivateFile(draft, `${randomBytes(SECRET_MIN_BYTES).toString('hex')}\n`, { exclusive: true });
    try {
      linkSync(draft, file);
      generated = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(draft, { force: true });
    }
  }
  return { secret: readSecretFile(file, envKey), file, generated };
}

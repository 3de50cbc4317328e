import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readOrCreateSecretFile, SECRET_MIN_BYTES } from '@coldchain/config';
import { BackupError } from '../backup.error.js';
import { BACKUP_DEFAULTS } from '../backup.defaults.js';
import type { BackupMode } from './manifest.js';

/** Where the archive key comes from, as configured. */
export interface BackupKeySettings {
  DATA_DIR: string;
  BACKUP_KEY?: string;
  BACKUP_KEY_FILE?: string;
}

/**
 * The AES-256 key of the archives: SHA-256 of the secret in BACKUP_KEY, else
 * of the file BACKUP_KEY_FILE (surrounding whitespace dropped; at least
 * {@link SECRET_MIN_BYTES} bytes either way). With neither, only the embedded
 * quick start may go on: a key is generated once into DATA_DIR/backup-key
 * (0600), which the operator must copy somewhere other than the archives'
 * disk. Any other mode refuses ({@link BackupError} `backup_no_key`): an
 * archive whose key sits beside the data it protects is lost with it.
 * `create: false` (verify, restore) never generates one.
 */
export function resolveBackupKey(
  settings: BackupKeySettings,
  mode: BackupMode,
  options: { create: boolean },
): { key: Buffer; source: string } {
  let secret: string | undefined;
  let source: string;
  if (settings.BACKUP_KEY !== undefined) {
    secret = settings.BACKUP_KEY;
    source = 'BACKUP_KEY';
  } else if (settings.BACKUP_KEY_FILE !== undefined) {
    try {
      secret = readFileSync(settings.BACKUP_KEY_FILE, 'utf8').trim();
    } catch (err) {
      throw new BackupError(`BACKUP_KEY_FILE ${settings.BACKUP_KEY_FILE} cannot be read`, {
        code: 'backup_no_key',
        retriable: false,
        cause: err,
      });
    }
    source = settings.BACKUP_KEY_FILE;
  } else if (mode === 'embedded') {
    if (options.create) {
      const made = readOrCreateSecretFile(settings.DATA_DIR, BACKUP_DEFAULTS.keyFileName, 'BACKUP_KEY');
      secret = made.secret;
      source = made.file;
    } else {
      try {
        secret = readFileSync(`${settings.DATA_DIR}/${BACKUP_DEFAULTS.keyFileName}`, 'utf8').trim();
        source = `${settings.DATA_DIR}/${BACKUP_DEFAULTS.keyFileName}`;
      } catch {
        throw noKey('no BACKUP_KEY or BACKUP_KEY_FILE, and DATA_DIR holds no backup-key');
      }
    }
  } else {
    throw noKey(
      `a ${mode} backup needs BACKUP_KEY or BACKUP_KEY_FILE (a generated key is only for the embedded quick start)`,
    );
  }
  if (Buffer.byteLength(secret, 'utf8') < SECRET_MIN_BYTES)
    throw noKey(`the backup key from ${source} is under ${SECRET_MIN_BYTES} bytes`);
  return { key: createHash('sha256').update(secret, 'utf8').digest(), source };
}

function noKey(message: string): BackupError {
  return new BackupError(message, { code: 'backup_no_key', retriable: false });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColdchainConfig } from '@coldchain/config';
import { readArchive } from './archive/archive-format.js';
import { resolveBackupKey } from './archive/backup-key.js';
import type { BackupManifest } from './archive/manifest.js';
import { BackupError } from './backup.error.js';
import { backupMode, backupParts } from './backup-parts.js';
import { SCHEMA_VERSION } from './backup.usecase.js';

/**
 * Checks an archive without restoring it: the header, the GCM tag (it
 * decrypts with this key and no byte changed), the manifest, and every
 * part's size and SHA-256. Throws {@link BackupError} when any fails.
 */
export async function verifyArchive(config: ColdchainConfig, file: string): Promise<BackupManifest> {
  const { key } = resolveBackupKey(config, backupMode(config), { create: false });
  return readArchive(file, key);
}

/**
 * Restores an archive into the engines the configuration names. The archive
 * is decrypted and checked whole into a private staging folder first:
 * nothing is written to a target before every check passed. Every target
 * must be empty (no database file, no table in the schema, no measurement
 * in the InfluxDB databases, nothing on the changelog topic) unless `force`.
 * The archive's engines must be the configuration's (an embedded archive
 * restores into an embedded configuration). An archive of an older schema
 * version is restored as it is; the platform's boot then runs the pending
 * migrations, as after any upgrade. A newer schema version is refused.
 */
export async function restoreArchive(
  config: ColdchainConfig,
  file: string,
  options: { force: boolean },
): Promise<BackupManifest> {
  const { key } = resolveBackupKey(config, backupMode(config), { create: false });
  const stage = mkdtempSync(join(tmpdir(), 'coldchain-restore-'));
  const { parts, close } = backupParts(config);
  try {
    const manifest = await readArchive(file, key, stage);
    if (manifest.schemaVersion > SCHEMA_VERSION)
      throw refused(
        `${file} has schema version ${manifest.schemaVersion}; this platform knows up to ${SCHEMA_VERSION}: upgrade it first`,
      );
    const engines = new Set(manifest.parts.map((p) => p.name.split('/')[0]));
    const ours = new Set(parts.map((p) => p.engine));
    const foreign = [...engines].filter((e) => !ours.has(e));
    if (foreign.length > 0)
      throw refused(
        `${file} holds ${foreign.join(', ')} parts, which this configuration (${backupMode(config)}) does not use`,
      );
    if (!options.force) {
      const full: string[] = [];
      for (const part of parts) if (!(await part.isEmpty())) full.push(part.engine);
      if (full.length > 0)
        throw new BackupError(
          `restore target not empty (${full.join(', ')}): restore into empty data directories and databases, or pass --force to overwrite`,
          { code: 'backup_target_not_empty', retriable: false },
        );
    }
    for (const part of parts) {
      const files = manifest.parts.filter((p) => p.name.startsWith(`${part.engine}/`)).map((p) => p.name);
      if (files.length > 0) await part.restore(stage, files, options);
    }
    return manifest;
  } finally {
    await close();
    rmSync(stage, { recursive: true, force: true });
  }
}

function refused(message: string): BackupError {
  return new BackupError(message, { code: 'backup_archive_invalid', retriable: false });
}

import { BackupError } from '../backup.error.js';

/** Which engines a backup covers: all embedded, all production, or a mix of both. */
export type BackupMode = 'embedded' | 'production' | 'mixed';

/** One file of a backup, stored in the archive after the manifest in manifest order. */
export interface ManifestPart {
  /** Relative path, `<engine>/<file>` (for example `sqlite/metadata.db`, `postgres/metadata.dump`). */
  name: string;
  /** Bytes. */
  size: number;
  /** SHA-256 of the part's bytes, hex. */
  sha256: string;
}

/**
 * What an archive holds. The time range is the snapshot window: everything
 * written before `cutoff.startedAt` is in; what was written between
 * `startedAt` and `finishedAt` may be (each engine's snapshot is taken at its
 * own instant within the window); nothing written after `finishedAt` is.
 */
export interface BackupManifest {
  formatVersion: number;
  /** The metadata schema version (the highest migration id) of the platform that took it. */
  schemaVersion: number;
  /** package.json version of the platform that took it. */
  platformVersion: string;
  mode: BackupMode;
  /** Epoch ms. */
  cutoff: { startedAt: number; finishedAt: number };
  /** The engines' names and settings the parts came from (schema, databases, topic), for restore. */
  sources: Record<string, string>;
  parts: ManifestPart[];
}

/** Parses and checks a decrypted manifest; a malformed one is an invalid archive. */
export function parseManifest(json: string, file: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new BackupError(`${file}: manifest unreadable: the key is wrong or the archive was altered`, {
      code: 'backup_archive_invalid',
      retriable: false,
      cause: err,
    });
  }
  const m = value as Partial<BackupManifest>;
  const ok =
    typeof m === 'object' &&
    m !== null &&
    typeof m.formatVersion === 'number' &&
    typeof m.schemaVersion === 'number' &&
    typeof m.platformVersion === 'string' &&
    (m.mode === 'embedded' || m.mode === 'production' || m.mode === 'mixed') &&
    typeof m.cutoff?.startedAt === 'number' &&
    typeof m.cutoff?.finishedAt === 'number' &&
    typeof m.sources === 'object' &&
    Array.isArray(m.parts) &&
    m.parts.every(
      (p) =>
        typeof p?.name === 'string' &&
        !p.name.split('/').includes('..') &&
        !p.name.startsWith('/') &&
        Number.isSafeInteger(p.size) &&
        p.size >= 0 &&
        /^[0-9a-f]{64}$/.test(p.sha256),
    );
  if (!ok)
    throw new BackupError(`${file}: manifest malformed: the key is wrong or the archive was altered`, {
      code: 'backup_archive_invalid',
      retriable: false,
    });
  return m as BackupManifest;
}

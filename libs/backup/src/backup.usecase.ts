import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ColdchainConfig } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import { MIGRATIONS } from '@coldchain/metadata-store';
import { writeArchive } from './archive/archive-format.js';
import { resolveBackupKey } from './archive/backup-key.js';
import type { BackupManifest } from './archive/manifest.js';
import { BACKUP_DEFAULTS } from './backup.defaults.js';
import { backupMode, backupParts } from './backup-parts.js';
import { DirectoryArchiveCatalog } from './plan/archive-catalog.js';
import type { StagedFile } from './parts/backup-part.port.js';

/** The metadata schema version this code writes and reads: its highest migration id. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.id));

/** The platform's version, from the repository's package.json (found upwards from this file). */
export function platformVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'coldchain' && pkg.version) return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

/** Where the archives go: BACKUP_DIR, else DATA_DIR/backups. */
export function backupDir(config: Pick<ColdchainConfig, 'BACKUP_DIR' | 'DATA_DIR'>): string {
  return config.BACKUP_DIR ?? join(config.DATA_DIR, 'backups');
}

export interface BackupResult {
  file: string;
  manifest: BackupManifest;
  /** Archive bytes. */
  bytes: number;
}

/**
 * Takes one backup of every engine the configuration uses while the platform
 * keeps writing, and writes it as one encrypted archive into the target
 * directory (under a temporary name, renamed when complete: a crash leaves no
 * archive that looks whole). `startedAt` is the cut-off's start (the
 * scheduler's clock); the staging folder is removed whatever happens.
 */
export async function takeBackup(
  config: ColdchainConfig,
  clock: Clock,
  startedAt = clock.now(),
): Promise<BackupResult> {
  const mode = backupMode(config);
  const { key } = resolveBackupKey(config, mode, { create: true });
  const catalog = new DirectoryArchiveCatalog(backupDir(config));
  const stage = mkdtempSync(join(tmpdir(), 'coldchain-backup-'));
  const { parts, close } = backupParts(config);
  try {
    const staged: StagedFile[] = [];
    const sources: Record<string, string> = {};
    for (const part of parts) {
      staged.push(...(await part.snapshot(stage)));
      Object.assign(sources, part.describe());
    }
    const finishedAt = clock.now();
    const file = catalog.pathFor(startedAt, mode);
    const draft = `${file}.partial`;
    const manifest = await writeArchive(
      draft,
      key,
      {
        formatVersion: BACKUP_DEFAULTS.formatVersion,
        schemaVersion: SCHEMA_VERSION,
        platformVersion: platformVersion(),
        mode,
        cutoff: { startedAt, finishedAt },
        sources,
      },
      staged,
    );
    renameSync(draft, file);
    return { file, manifest, bytes: statSync(file).size };
  } finally {
    await close();
    rmSync(stage, { recursive: true, force: true });
  }
}

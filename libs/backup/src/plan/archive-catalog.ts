import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUP_DEFAULTS } from '../backup.defaults.js';
import type { BackupMode } from '../archive/manifest.js';
import type { PlannedArchive } from './retention-plan.js';

/**
 * The archives of one target directory. An archive's name carries when its
 * backup started and its mode, `coldchain-20261207T180000Z-embedded.ccbk`, so
 * listing and pruning need neither the key nor a read of the archive.
 */
export interface ArchiveCatalog {
  list(): PlannedArchive[];
  /** Path for a new archive of a backup started at `takenAt`. */
  pathFor(takenAt: number, mode: BackupMode): string;
  remove(name: string): void;
}

const NAME =
  /^coldchain-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-(embedded|production|mixed)\.ccbk$/;

/** The archive name of a backup started at `takenAt` (epoch ms, UTC, to the millisecond). */
export function archiveName(takenAt: number, mode: BackupMode): string {
  const iso = new Date(takenAt).toISOString().replace(/[-:]/g, '').replace('.', '');
  return `coldchain-${iso}-${mode}${BACKUP_DEFAULTS.archiveExtension}`;
}

/** When the archive named `name` was taken, or undefined for a name this catalog did not write. */
export function takenAtOf(name: string): number | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/** {@link ArchiveCatalog} on a local (or mounted off-site) directory; other files there are left alone. */
export class DirectoryArchiveCatalog implements ArchiveCatalog {
  constructor(readonly dir: string) {}

  list(): PlannedArchive[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names.flatMap((name) => {
      const takenAt = takenAtOf(name);
      return takenAt === undefined ? [] : [{ name, takenAt }];
    });
  }

  pathFor(takenAt: number, mode: BackupMode): string {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    return join(this.dir, archiveName(takenAt, mode));
  }

  remove(name: string): void {
    if (takenAtOf(name) === undefined) throw new Error(`not an archive name: ${name}`);
    rmSync(join(this.dir, name), { force: true });
  }
}

import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { preparePrivateFile } from '@coldchain/config';
import { BACKUP_DEFAULTS } from '../backup.defaults.js';
import type { BackupPart, StagedFile } from './backup-part.port.js';

/** Files SQLite keeps beside a database: write-ahead log, its index, rollback journal. */
const SIDE_SUFFIXES = ['-wal', '-shm', '-journal'];

/**
 * The embedded engines' SQLite databases in DATA_DIR (metadata.db,
 * telemetry.db, bus-tables.db: whichever the configuration uses), copied
 * with SQLite's online backup API while the platform keeps writing. The copy
 * runs in one step (all pages), so it reads one consistent state and a
 * concurrent write cannot make it start over; WAL readers do not block the
 * writer.
 */
export class SqliteFilesPart implements BackupPart {
  readonly engine = 'sqlite';

  constructor(
    private readonly dataDir: string,
    private readonly files: readonly string[],
  ) {}

  describe(): Record<string, string> {
    return { 'sqlite.files': this.files.join(',') };
  }

  async snapshot(stageDir: string): Promise<StagedFile[]> {
    const staged: StagedFile[] = [];
    mkdirSync(join(stageDir, this.engine), { recursive: true, mode: 0o700 });
    for (const file of this.files) {
      const source = join(this.dataDir, file);
      if (!existsSync(source)) continue;
      const path = join(stageDir, this.engine, file);
      const db = new Database(source, { fileMustExist: true });
      try {
        await db.backup(path, { progress: () => BACKUP_DEFAULTS.sqliteBackupPagesPerStep });
      } finally {
        db.close();
      }
      staged.push({ name: `${this.engine}/${file}`, path });
    }
    return staged;
  }

  isEmpty(): Promise<boolean> {
    return Promise.resolve(
      this.files.every((f) => {
        const path = join(this.dataDir, f);
        return !existsSync(path) || statSync(path).size === 0;
      }),
    );
  }

  restore(stageDir: string, files: readonly string[], options: { force: boolean }): Promise<void> {
    for (const name of files) {
      const file = name.slice(this.engine.length + 1);
      const target = join(this.dataDir, file);
      // A stale write-ahead log beside the restored file would be replayed into it.
      if (options.force)
        for (const p of [target, ...SIDE_SUFFIXES.map((s) => target + s)]) rmSync(p, { force: true });
      preparePrivateFile(target);
      copyFileSync(join(stageDir, name), target);
    }
    return Promise.resolve();
  }
}

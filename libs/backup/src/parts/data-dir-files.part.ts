import { chmodSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '@coldchain/config';
import { BACKUP_DEFAULTS } from '../backup.defaults.js';
import type { BackupPart, StagedFile } from './backup-part.port.js';

/**
 * DATA_DIR's own files beside the databases: the generated keys (jwt-secret,
 * ack-link-secret), the demo and platform-admin credentials, the demo
 * routing and the notification outbox. Small files, copied as they are.
 * Left out: the SQLite databases (see SqliteFilesPart) and their side files,
 * half-written `.tmp` files, and the archive key itself (an archive that
 * carried its own key would protect nothing).
 */
export class DataDirFilesPart implements BackupPart {
  readonly engine = 'files';

  constructor(private readonly dataDir: string) {}

  describe(): Record<string, string> {
    return {};
  }

  private names(): string[] {
    try {
      return readdirSync(this.dataDir, { withFileTypes: true })
        .filter((e) => e.isFile() && !/(\.db|\.db-wal|\.db-shm|\.db-journal|\.tmp)$/.test(e.name))
        .filter((e) => e.name !== BACKUP_DEFAULTS.keyFileName)
        .map((e) => e.name)
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  snapshot(stageDir: string): Promise<StagedFile[]> {
    mkdirSync(join(stageDir, this.engine), { recursive: true, mode: 0o700 });
    return Promise.resolve(
      this.names().map((file) => {
        const path = join(stageDir, this.engine, file);
        copyFileSync(join(this.dataDir, file), path);
        return { name: `${this.engine}/${file}`, path };
      }),
    );
  }

  isEmpty(): Promise<boolean> {
    return Promise.resolve(this.names().length === 0);
  }

  restore(stageDir: string, files: readonly string[]): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true, mode: DATA_DIR_MODE });
    for (const name of files) {
      const target = join(this.dataDir, name.slice(this.engine.length + 1));
      copyFileSync(join(stageDir, name), target); // bytes as they were (the outbox may hold any text)
      chmodSync(target, DATA_FILE_MODE);
    }
    return Promise.resolve();
  }
}

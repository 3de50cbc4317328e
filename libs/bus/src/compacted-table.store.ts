import Database from 'better-sqlite3';
import { preparePrivateFile } from '@coldchain/config';

/**
 * Where the in-process bus keeps its compacted topics (changelogs) so that
 * they outlive the process: the latest encoded value per (topic, key).
 * Synchronous: a write returns once the value is durable (or throws).
 */
export interface CompactedTableStore {
  /** Every key's latest value of `topic`. */
  load(topic: string): Map<string, Buffer>;
  /** Upserts values; `null` deletes the key. One transaction per call. */
  write(topic: string, entries: readonly (readonly [key: string, value: Buffer | null])[]): void;
  close(): void;
}

/**
 * {@link CompactedTableStore} in one SQLite file (WAL, synchronous=NORMAL:
 * durable across a process crash, which is what the changelog protects
 * against; a power cut may lose the last transactions, as it may lose the
 * embedded default's last readings).
 */
export class SqliteCompactedTableStore implements CompactedTableStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly writeAll: (topic: string, entries: readonly (readonly [string, Buffer | null])[]) => void;

  constructor(path: string) {
    preparePrivateFile(path); // 0600 in a 0700 folder: see @coldchain/config's data-dir
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS compacted (topic TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (topic, key))',
    );
    this.upsert = this.db.prepare(
      'INSERT INTO compacted (topic, key, value) VALUES (?, ?, ?) ON CONFLICT (topic, key) DO UPDATE SET value = excluded.value',
    );
    this.remove = this.db.prepare('DELETE FROM compacted WHERE topic = ? AND key = ?');
    this.writeAll = this.db.transaction(
      (topic: string, entries: readonly (readonly [string, Buffer | null])[]) => {
        for (const [key, value] of entries) {
          if (value === null) this.remove.run(topic, key);
          else this.upsert.run(topic, key, value);
        }
      },
    );
  }

  load(topic: string): Map<string, Buffer> {
    const rows = this.db.prepare('SELECT key, value FROM compacted WHERE topic = ?').all(topic) as {
      key: string;
      value: Buffer;
    }[];
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  write(topic: string, entries: readonly (readonly [key: string, value: Buffer | null])[]): void {
    if (entries.length > 0) this.writeAll(topic, entries);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

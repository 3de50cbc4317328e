import type { DeadLetter } from '@coldchain/contract';
import type { EpochMs } from '@coldchain/domain';
import type { SqliteDatabase } from '../../database/sqlite-database.js';
import {
  DEAD_LETTER_COLUMNS,
  deadLetterValues,
  toStoredDeadLetter,
  type DeadLetterRow,
} from './dead-letter-rows.js';
import type { DeadLetterRepository, StoredDeadLetter } from './dead-letter.repository.js';

/** {@link DeadLetterRepository} on the SQLite metadata database. */
export class SqliteDeadLetterRepository implements DeadLetterRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async recordDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    const db = this.db.sql;
    const insert = db.prepare(
      `INSERT INTO dead_letters (${DEAD_LETTER_COLUMNS}) VALUES (${DEAD_LETTER_COLUMNS.split(',')
        .map(() => '?')
        .join(', ')})`,
    );
    db.transaction(() => {
      for (const d of letters) insert.run(...deadLetterValues(d));
    })();
  }

  async listDeadLetters(limit: number): Promise<StoredDeadLetter[]> {
    return (
      this.db.sql
        .prepare(`SELECT id, ${DEAD_LETTER_COLUMNS} FROM dead_letters ORDER BY id DESC LIMIT ?`)
        .all(limit) as DeadLetterRow[]
    ).map(toStoredDeadLetter);
  }

  async purgeDeadLetters(before: EpochMs): Promise<number> {
    return this.db.sql.prepare('DELETE FROM dead_letters WHERE received_at < ?').run(before).changes;
  }
}

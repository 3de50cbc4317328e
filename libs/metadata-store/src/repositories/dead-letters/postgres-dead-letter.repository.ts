import type { DeadLetter } from '@coldchain/contract';
import type { EpochMs } from '@coldchain/domain';
import type { PostgresDatabase } from '../../database/postgres-database.js';
import {
  DEAD_LETTER_COLUMNS,
  deadLetterValues,
  toStoredDeadLetter,
  type DeadLetterRow,
} from './dead-letter-rows.js';
import type { DeadLetterRepository, StoredDeadLetter } from './dead-letter.repository.js';

/** {@link DeadLetterRepository} on the PostgreSQL metadata database. */
export class PostgresDeadLetterRepository implements DeadLetterRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async recordDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    // One statement for the batch (a column array per column); ids follow the batch's order.
    const columns = letters.map(deadLetterValues);
    const column = (i: number) => columns.map((values) => values[i]);
    await this.db.query(
      `INSERT INTO dead_letters (${DEAD_LETTER_COLUMNS})
       SELECT ${DEAD_LETTER_COLUMNS}
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::bigint[], $9::text[], $10::integer[])
         WITH ORDINALITY AS d(${DEAD_LETTER_COLUMNS}, n)
       ORDER BY n`,
      DEAD_LETTER_COLUMNS.split(',').map((_, i) => column(i)),
    );
  }

  async listDeadLetters(limit: number): Promise<StoredDeadLetter[]> {
    const rows = await this.db.query<DeadLetterRow>(
      `SELECT id, ${DEAD_LETTER_COLUMNS} FROM dead_letters ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toStoredDeadLetter);
  }

  async purgeDeadLetters(before: EpochMs): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>(
      'WITH gone AS (DELETE FROM dead_letters WHERE received_at < $1 RETURNING 1) SELECT count(*)::bigint AS n FROM gone',
      [before],
    );
    return n;
  }
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadLetterRepositoryContract } from '../../../../../test/contracts/dead-letter-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-dead-letter-'));
deadLetterRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionRepositoryContract } from '../../../../../test/contracts/session-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-session-'));
sessionRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userRepositoryContract } from '../../../../../test/contracts/user-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-user-'));
userRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

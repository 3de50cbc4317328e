import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileRepositoryContract } from '../../../../../test/contracts/profile-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-profile-'));
profileRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertLogRepositoryContract } from '../../../../../test/contracts/alert-log-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-alert-log-'));
alertLogRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

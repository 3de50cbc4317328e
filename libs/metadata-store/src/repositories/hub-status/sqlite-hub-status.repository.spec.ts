import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubStatusRepositoryContract } from '../../../../../test/contracts/hub-status-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-hub-status-'));
hubStatusRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

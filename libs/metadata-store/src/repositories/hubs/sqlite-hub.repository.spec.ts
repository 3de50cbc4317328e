import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubRepositoryContract } from '../../../../../test/contracts/hub-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-hub-'));
hubRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

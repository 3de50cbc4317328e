import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tagRepositoryContract } from '../../../../../test/contracts/tag-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-tag-'));
tagRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

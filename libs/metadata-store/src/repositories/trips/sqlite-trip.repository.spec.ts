import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tripRepositoryContract } from '../../../../../test/contracts/trip-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-trip-'));
tripRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

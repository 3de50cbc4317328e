import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tenantRepositoryContract } from '../../../../../test/contracts/tenant-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-tenant-'));
tenantRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

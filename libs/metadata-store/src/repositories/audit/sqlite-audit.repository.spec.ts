import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditRepositoryContract } from '../../../../../test/contracts/audit-repository.contract.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-audit-'));
auditRepositoryContract('sqlite', () => new SqliteDatabase(join(dir, 'metadata.db')));

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tenantStoreContract } from '../../../../test/contracts/tenant-store.contract.js';
import { SqliteMetadataStore } from '../sqlite-metadata-store.adapter.js';

tenantStoreContract(
  'sqlite',
  async () => new SqliteMetadataStore(join(mkdtempSync(join(tmpdir(), 'cc-tenant-')), 'm.db')),
);

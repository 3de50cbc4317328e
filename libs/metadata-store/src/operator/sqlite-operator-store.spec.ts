import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operatorStoreContract } from '../../../../test/contracts/operator-store.contract.js';
import { SqliteMetadataStore } from '../sqlite-metadata-store.adapter.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-op-'));
operatorStoreContract('sqlite', async () => new SqliteMetadataStore(join(dir, 'metadata.db')));

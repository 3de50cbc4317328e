import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tripStoreContract } from '../../../../test/contracts/trip-store.contract.js';
import { SqliteMetadataStore } from '../sqlite-metadata-store.adapter.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-trip-'));
tripStoreContract('sqlite', async () => new SqliteMetadataStore(join(dir, 'metadata.db')));

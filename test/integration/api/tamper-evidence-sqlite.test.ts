import { tamperEvidenceSuite } from './tamper-evidence.suite.js';

/** Tamper evidence on the embedded default: SQLite metadata store. */
tamperEvidenceSuite('SQLite', async () => ({}));

import { platformApiSuite } from './platform-api.suite.js';

/** Tenant administration on the embedded default: SQLite metadata store. */
platformApiSuite('SQLite', async () => ({}));

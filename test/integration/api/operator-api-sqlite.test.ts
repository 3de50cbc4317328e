import { operatorApiSuite } from './operator-api.suite.js';

/** The operator API on the embedded default: SQLite metadata store. */
operatorApiSuite('SQLite', async () => ({}));

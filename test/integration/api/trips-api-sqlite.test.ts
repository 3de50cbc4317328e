import { tripsApiSuite } from './trips-api.suite.js';

/** Trips on the embedded default: SQLite metadata and telemetry stores. */
tripsApiSuite('SQLite', async () => ({}));

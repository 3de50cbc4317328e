import { reportingApiSuite } from './reporting-api.suite.js';

/** Reporting on the embedded default: SQLite telemetry and metadata stores, in-process bus. */
reportingApiSuite('SQLite', async () => ({}));

import { ensureInfra } from '../../support/infra.js';
import { privateSchema } from '../../support/pg-schema.js';
import { reportingApiSuite } from './reporting-api.suite.js';

/** Reporting on the production stores: InfluxDB (GROUP BY time) and PostgreSQL from infra/up.sh. */
const schema = privateSchema('rep');

reportingApiSuite('InfluxDB and PostgreSQL', async () => {
  const endpoints = await ensureInfra(['influxdb', 'postgres']);
  schema.use(endpoints.databaseUrl);
  return {
    ...endpoints.env,
    TELEMETRY_STORE: 'influxdb',
    METADATA_STORE: 'postgres',
    DATABASE_SCHEMA: schema.name,
  };
});

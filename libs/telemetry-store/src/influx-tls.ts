import { readFileSync } from 'node:fs';
import type { InfluxTlsEnv } from '@coldchain/config';

/** The store's `ca` option from the environment: the PEM text of INFLUX_SSL_CA, or nothing. */
export function influxCaFromEnv(
  env: Partial<InfluxTlsEnv>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): { ca?: string } {
  return env.INFLUX_SSL_CA ? { ca: readFile(env.INFLUX_SSL_CA) } : {};
}

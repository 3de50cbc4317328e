import { readFileSync } from 'node:fs';

/** The environment keys of the InfluxDB connection's TLS, as the config schema validated them one by one. */
export interface InfluxTlsEnv {
  INFLUX_URL: string;
  INFLUX_SSL_CA?: string;
}

/**
 * Cross-key problems of the InfluxDB TLS settings, in the form of the
 * config's error (`KEY="value" (why)`): a CA for a URL that is not https, or
 * a CA file that cannot be read.
 */
export function influxTlsEnvProblems(
  env: Partial<InfluxTlsEnv>,
  readFile: (path: string) => unknown = readFileSync,
): string[] {
  if (!env.INFLUX_SSL_CA) return [];
  const problems: string[] = [];
  if (!env.INFLUX_URL?.startsWith('https:'))
    problems.push(
      `INFLUX_URL=${JSON.stringify(env.INFLUX_URL ?? '')} (must be https:// when INFLUX_SSL_CA is set)`,
    );
  try {
    readFile(env.INFLUX_SSL_CA);
  } catch (err) {
    problems.push(
      `INFLUX_SSL_CA=${JSON.stringify(env.INFLUX_SSL_CA)} (cannot read it: ${(err as Error).message})`,
    );
  }
  return problems;
}

/** The store's `ca` option from the environment: the PEM text of INFLUX_SSL_CA, or nothing. */
export function influxCaFromEnv(
  env: Partial<InfluxTlsEnv>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): { ca?: string } {
  return env.INFLUX_SSL_CA ? { ca: readFile(env.INFLUX_SSL_CA) } : {};
}

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

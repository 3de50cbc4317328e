import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real engines that `infra/up.sh` runs on 127.0.0.1 (docs/infra.md).
 * Integration and end-to-end tests call {@link ensureInfra} in `beforeAll`;
 * failure tests call {@link stopEngine} / {@link startEngine}.
 */
export type InfraService = 'kafka' | 'influxdb' | 'postgres' | 'mosquitto';

/** Where the engines listen, as the apps read it from the environment. */
export interface Endpoints {
  /** KAFKA_BROKERS, split on commas. */
  kafkaBrokers: string[];
  /** INFLUX_URL: influxd itself, serving the v2 write path, InfluxQL /query and /health. */
  influxUrl: string;
  /** INFLUX_ORG (ignored by InfluxDB 1.x, required by the v2 client). */
  influxOrg: string;
  /** INFLUX_BUCKET, "<database>/<retention policy>": temperature history, kept for years. */
  influxBucket: string;
  /** INFLUX_POSITIONS_BUCKET: GPS positions, expire after 60 days. */
  influxPositionsBucket: string;
  /** INFLUX_TOKEN (ignored by InfluxDB 1.x, required by the v2 client). */
  influxToken: string;
  /** DATABASE_URL. */
  databaseUrl: string;
  /** MQTT_EXTERNAL_URL: the Mosquitto broker of the external-broker mode. */
  mqttExternalUrl: string;
  /** The same values under their environment variable names, to pass to an app process. */
  env: Record<string, string>;
}

export interface InfraOptions {
  /**
   * Overrides for the infra scripts' environment (ports, COLDCHAIN_INFRA_DIR):
   * a test can run a private instance beside the shared one.
   */
  env?: Record<string, string>;
  /** Upper bound for the script, in ms: a first run may install packages. */
  timeoutMs?: number;
}

export const INFRA_DEFAULTS = {
  /** A first `up` on a fresh machine installs Debian packages and Kafka's jars and builds influxd (3-4 min on 2 idle cores). */
  upTimeoutMs: 600_000,
  /** Kafka's shutdown hook and PostgreSQL's checkpoint take seconds, not minutes. */
  downTimeoutMs: 180_000,
  /** Script output kept in memory (the apt log goes to a file, not here). */
  maxOutputBytes: 8 * 1024 * 1024,
} as const;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ScriptResult {
  stdout: string;
  stderr: string;
}

function runScript(
  script: string,
  args: string[],
  options: InfraOptions,
  defaultTimeoutMs: number,
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [path.join(REPO_ROOT, 'infra', script), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? defaultTimeoutMs,
        maxBuffer: INFRA_DEFAULTS.maxOutputBytes,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(`infra/${script} ${args.join(' ')} failed: ${error.message}\n${stderr}`, {
              cause: error,
            }),
          );
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}

/** Parses the KEY=value lines that infra/up.sh prints on stdout. */
export function parseEndpoints(stdout: string): Endpoints {
  const env: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2];
  }
  const need = (key: string): string => {
    const value = env[key];
    if (value === undefined || value === '') throw new Error(`infra/up.sh printed no ${key}`);
    return value;
  };
  return {
    kafkaBrokers: need('KAFKA_BROKERS').split(','),
    influxUrl: need('INFLUX_URL'),
    influxOrg: need('INFLUX_ORG'),
    influxBucket: need('INFLUX_BUCKET'),
    influxPositionsBucket: need('INFLUX_POSITIONS_BUCKET'),
    influxToken: need('INFLUX_TOKEN'),
    databaseUrl: need('DATABASE_URL'),
    mqttExternalUrl: need('MQTT_EXTERNAL_URL'),
    env,
  };
}

/**
 * Starts the named engines unless they are already up (then only checks their
 * health: a fraction of a second), installing what is missing, and returns the
 * endpoints. Safe to call from every test file's `beforeAll`.
 */
export async function ensureInfra(services: InfraService[], options: InfraOptions = {}): Promise<Endpoints> {
  const { stdout } = await runScript('up.sh', services, options, INFRA_DEFAULTS.upTimeoutMs);
  return parseEndpoints(stdout);
}

/** Stops one engine gracefully (SIGTERM and wait), keeping its data. */
export async function stopEngine(name: InfraService, options: InfraOptions = {}): Promise<void> {
  await runScript('down.sh', [name], options, INFRA_DEFAULTS.downTimeoutMs);
}

/** Kills one engine as a crash would (SIGKILL; PostgreSQL: immediate shutdown). */
export async function killEngine(name: InfraService, options: InfraOptions = {}): Promise<void> {
  await runScript('down.sh', ['--kill', name], options, INFRA_DEFAULTS.downTimeoutMs);
}

/** Starts one engine again after {@link stopEngine} or {@link killEngine}; resolves once it is ready. */
export async function startEngine(name: InfraService, options: InfraOptions = {}): Promise<Endpoints> {
  return ensureInfra([name], options);
}

/** Stops the named engines (all when empty), keeping their data. */
export async function stopInfra(services: InfraService[] = [], options: InfraOptions = {}): Promise<void> {
  await runScript('down.sh', services, options, INFRA_DEFAULTS.downTimeoutMs);
}

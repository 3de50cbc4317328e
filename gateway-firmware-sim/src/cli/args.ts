import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { imeiFromBody, isValidImei } from '@coldchain/contract';
import { DEFAULTS } from '../defaults.js';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import type { FleetHubSpec } from '../fleet/fleet.js';
import type { QueueFullPolicy } from '../queue/sample-queue.js';
import { parseDurationMs } from '../time/duration.js';
import { loadCredentialsFile, type DemoCredentials } from './credentials.js';

export const USAGE = `Usage: npm run sim -- [mode] [options]

Modes (default: fleet)
  --hubs N --tags-per-hub M      fleet of N hubs with M simulated tags each, in real time
  --scenario FILE                play a scenario file (YAML or JSON) in simulated time
  --ble                          one hub publishing real K-TAGs heard over Bluetooth LE
  --ble-replay FILE              like --ble, replaying recorded advertisements (no adapter needed)

Broker and identity
  --broker URL                   MQTT broker (default mqtt://127.0.0.1:$MQTT_PORT, else 1883)
  --credentials FILE             hub credentials (default $DATA_DIR/demo-credentials.json if present)
  --imei IMEI --secret SECRET    one hub's credentials from flags
  --anonymous                    generated identities for a broker without authentication
  --ca FILE / --insecure         TLS (mqtts://): CA certificate / accept any certificate (tests only)

Fleet
  --interval 5s                  each hub publishes one reading per tag this often (default 5s)
  --rate R                       target readings/s for the whole fleet; sets the interval to hubs×tags/R
  --duration 60s                 stop this long after every hub connected (default: until Ctrl-C)
  --gps                          include GPS fixes (built-in route)

Scenario
  --speed max|N                  simulated ms per real ms (default: the file's, else max)
  --start ISO|now                simulated start time (default: the file's, else now)
  --end-now                      place the scenario so that it ends now: its readings are recent history

Common
  --seed N                       deterministic values (default 1, or the scenario's)
  --queue-dir DIR                disk-backed store-and-forward under DIR/<imei> (survives restarts)
  --queue-max-readings N         queue bound per hub (default ${DEFAULTS.queueMaxReadings})
  --when-full drop-oldest|keep-first   full-queue policy (default drop-oldest)
  --report FILE                  JSON report (default $DATA_DIR/sim-report.json; "-" for stdout)
  --quiet                        no progress line
  --help`;

export type CliMode = 'fleet' | 'scenario' | 'ble';

export interface CliConfig {
  mode: CliMode;
  brokerUrl: string;
  tls?: { ca?: string; rejectUnauthorized: boolean };
  hubs: FleetHubSpec[];
  /** Where the identities came from, for the start line. */
  identitySource: string;
  publishIntervalMs: number;
  rate?: number;
  durationMs?: number;
  gps: boolean;
  seed?: number;
  scenarioFile?: string;
  speed?: 'max' | number;
  startAt?: number;
  /** Scenario mode: start = now − duration. */
  endNow: boolean;
  bleReplay?: string;
  queueDir?: string;
  queueMaxReadings: number;
  whenFull: QueueFullPolicy;
  reportPath: string;
  quiet: boolean;
  notes: string[];
  credentials?: DemoCredentials;
}

export type ParsedCli = { help: true } | { help: false; config: CliConfig };

const OPTIONS = {
  hubs: { type: 'string' },
  'tags-per-hub': { type: 'string' },
  interval: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  gps: { type: 'boolean' },
  scenario: { type: 'string' },
  speed: { type: 'string' },
  start: { type: 'string' },
  'end-now': { type: 'boolean' },
  ble: { type: 'boolean' },
  'ble-replay': { type: 'string' },
  broker: { type: 'string' },
  credentials: { type: 'string' },
  imei: { type: 'string' },
  secret: { type: 'string' },
  anonymous: { type: 'boolean' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  seed: { type: 'string' },
  'queue-dir': { type: 'string' },
  'queue-max-readings': { type: 'string' },
  'when-full': { type: 'string' },
  report: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Deterministic IMEI for generated hub `i` (TAC 35 69 38 03, a test range), distinct per index below 10^6. */
export function generatedHubImei(i: number): string {
  return imeiFromBody(`35693803${String(i % 1_000_000).padStart(6, '0')}`);
}

/** Deterministic locally administered unicast MAC (02:…) for tag `j` of hub `i`; distinct for i < 2^24, j < 2^16. */
export function generatedTagMac(i: number, j: number): string {
  return [0x02, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff, (j >>> 8) & 0xff, j & 0xff]
    .map((b) => b.toString(16).padStart(2, '0').toUpperCase())
    .join(':');
}

/**
 * Parses and validates the command line. Every problem is collected and
 * reported at once (InvalidOptionError); unknown options are refused by name.
 */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedCli {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    const msg = (err as Error).message.replace(
      /\. To specify a positional argument starting with a '-'.*$/s,
      '',
    );
    throw new InvalidOptionError(`${msg} (see --help)`);
  }
  if (values.help) return { help: true };
  const problems: string[] = [];
  const notes: string[] = [];
  const str = (k: string) => values[k] as string | undefined;
  const int = (k: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      problems.push(`--${k} must be an integer in ${min}…${max}, got "${v}"`);
    return n;
  };
  const dur = (k: string): number | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    const ms = parseDurationMs(v);
    if (ms === undefined) problems.push(`--${k} must be a duration like 500ms, 5s, 2m, 1h, got "${v}"`);
    return ms;
  };

  const modes = [
    values.scenario !== undefined && 'scenario',
    (values.ble || values['ble-replay'] !== undefined) && 'ble',
  ].filter(Boolean) as CliMode[];
  if (modes.length > 1) problems.push('--scenario and --ble exclude each other');
  const mode: CliMode = modes[0] ?? 'fleet';

  const dataDir = env.DATA_DIR ?? './var';
  const brokerUrl = str('broker') ?? `mqtt://127.0.0.1:${env.MQTT_PORT ?? 1883}`;
  if (!/^(mqtts?|tcp|tls|wss?):\/\/[^/]+/.test(brokerUrl))
    problems.push(`--broker "${brokerUrl}" must look like mqtt://host:port or mqtts://host:port`);
  const tls =
    str('ca') !== undefined || values.insecure
      ? { ca: str('ca'), rejectUnauthorized: !values.insecure }
      : undefined;

  const seed = int('seed', 0, 0xffffffff);
  const hubsWanted = int('hubs', 1, 100_000);
  const tagsWanted = int('tags-per-hub', 0, 1000);
  const interval = dur('interval');
  const rate = str('rate') !== undefined ? Number(str('rate')) : undefined;
  if (rate !== undefined && !(rate > 0 && Number.isFinite(rate)))
    problems.push(`--rate must be a positive number of readings per second, got "${str('rate')}"`);
  const durationMs = dur('duration');
  const queueMaxReadings = int('queue-max-readings', 1) ?? DEFAULTS.queueMaxReadings;
  const whenFullRaw = str('when-full') ?? 'drop-oldest';
  if (whenFullRaw !== 'drop-oldest' && whenFullRaw !== 'keep-first')
    problems.push(`--when-full must be drop-oldest or keep-first, got "${whenFullRaw}"`);
  const whenFull = whenFullRaw as QueueFullPolicy;
  let speed: 'max' | number | undefined;
  if (str('speed') !== undefined) {
    speed = str('speed') === 'max' ? 'max' : Number(str('speed'));
    if (speed !== 'max' && !(speed > 0))
      problems.push(`--speed must be "max" or a positive number, got "${str('speed')}"`);
  }
  let startAt: number | undefined;
  if (str('start') !== undefined) {
    startAt = str('start') === 'now' ? Date.now() : Date.parse(str('start')!);
    if (Number.isNaN(startAt)) problems.push(`--start must be an ISO-8601 time, got "${str('start')}"`);
  }
  if (mode !== 'fleet') {
    for (const k of ['hubs', 'tags-per-hub', 'rate', 'gps'] as const)
      if (values[k] !== undefined) problems.push(`--${k} applies to fleet mode only`);
  }
  if (mode !== 'scenario')
    for (const k of ['speed', 'start'] as const)
      if (values[k] !== undefined) problems.push(`--${k} applies to --scenario only`);

  // Identities: flags, then a credentials file, then generated (anonymous brokers).
  let hubs: FleetHubSpec[] = [];
  let identitySource = '';
  let credentials: DemoCredentials | undefined;
  const tagsPerHub = tagsWanted ?? (mode === 'ble' ? 0 : 20);
  if ((str('imei') === undefined) !== (str('secret') === undefined) && !values.anonymous)
    problems.push('--imei and --secret go together');
  const credPath = str('credentials') ?? join(dataDir, 'demo-credentials.json');
  if (str('imei') !== undefined) {
    if (!isValidImei(str('imei')!))
      problems.push(`--imei "${str('imei')}" is not a 15-digit IMEI with a valid Luhn digit`);
    if ((hubsWanted ?? 1) > 1) problems.push('--imei gives one hub; drop --hubs or use a credentials file');
    hubs = [{ imei: str('imei')!, secret: str('secret') ?? 'sim', tags: genTags(0, tagsPerHub) }];
    identitySource = 'flags';
  } else if (!values.anonymous && (str('credentials') !== undefined || existsSync(credPath))) {
    try {
      credentials = loadCredentialsFile(credPath);
      const n = hubsWanted ?? credentials.hubs.length;
      if (n > credentials.hubs.length) {
        problems.push(
          `${credPath} lists ${credentials.hubs.length} hub(s) but --hubs ${n} was asked: add --anonymous for generated identities (broker without authentication), or provision more hubs`,
        );
      }
      hubs = credentials.hubs.slice(0, n).map((h, i) => {
        const known = credentials!.tags.filter((t) => t.hub === h.imei);
        const want = tagsWanted ?? known.length;
        const tags: FleetHubSpec['tags'] = known
          .slice(0, want)
          .map((t) => ({ mac: t.mac, setpointC: t.setpointC }));
        if (want > known.length) {
          notes.push(
            `hub ${h.imei}: ${want - known.length} generated tag(s) added to the ${known.length} known; the platform will refuse unknown tags`,
          );
          tags.push(...genTags(i, want).slice(known.length));
        }
        return { imei: h.imei, secret: h.secret, tags };
      });
      identitySource = credPath;
    } catch (err) {
      problems.push((err as Error).message);
    }
  } else {
    const n = hubsWanted ?? (mode === 'fleet' ? 10 : 1);
    hubs = Array.from({ length: n }, (_, i) => ({
      imei: generatedHubImei(i),
      secret: str('secret') ?? 'sim',
      tags: genTags(i, tagsPerHub),
    }));
    identitySource = values.anonymous ? 'generated (--anonymous)' : `generated (no ${credPath})`;
  }
  if (mode === 'ble' && hubs.length > 1) hubs = hubs.slice(0, 1);

  let publishIntervalMs = interval ?? 5_000;
  const totalTags = hubs.reduce((s, h) => s + h.tags.length, 0);
  if (rate !== undefined && mode === 'fleet' && totalTags > 0) {
    const derived = Math.round((totalTags / rate) * 1000);
    if (interval !== undefined)
      notes.push(
        `--rate ${rate} sets the interval to ${derived} ms (hubs × tags ÷ rate), instead of --interval`,
      );
    publishIntervalMs = derived;
  }
  if (mode === 'fleet' && publishIntervalMs < 100)
    problems.push(
      `the publishing interval would be ${publishIntervalMs} ms per hub; at least 100 ms (lower --rate or raise --hubs)`,
    );
  if (mode === 'fleet' && totalTags === 0)
    problems.push('fleet mode needs at least one tag (--tags-per-hub ≥ 1)');

  if (problems.length) throw new InvalidOptionError('invalid options', problems);
  return {
    help: false,
    config: {
      mode,
      brokerUrl,
      tls,
      hubs,
      identitySource,
      publishIntervalMs,
      rate,
      durationMs,
      gps: values.gps === true,
      seed,
      scenarioFile: str('scenario'),
      speed,
      startAt,
      endNow: values['end-now'] === true,
      bleReplay: str('ble-replay'),
      queueDir: str('queue-dir'),
      queueMaxReadings,
      whenFull,
      reportPath: str('report') ?? join(dataDir, 'sim-report.json'),
      quiet: values.quiet === true,
      notes,
      credentials,
    },
  };
}

function genTags(hubIndex: number, n: number): FleetHubSpec['tags'] {
  return Array.from({ length: n }, (_, j) => ({ mac: generatedTagMac(hubIndex, j) }));
}

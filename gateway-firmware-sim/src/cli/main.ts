import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HeardReadingsSource, KTagScanner } from '../ble/k-tag-scanner.js';
import { loadNoble } from '../ble/noble-loader.js';
import type { NobleLike } from '../ble/noble.types.js';
import { createRecordedNoble, type RecordedAdvertisement } from '../ble/recorded-hci.bindings.js';
import { DEFAULTS } from '../defaults.js';
import { BrokerUnreachableError } from '../errors/broker-unreachable.error.js';
import { CredentialsRefusedError } from '../errors/credentials-refused.error.js';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { InvalidScenarioError } from '../errors/invalid-scenario.error.js';
import { NoBluetoothAdapterError } from '../errors/no-bluetooth-adapter.error.js';
import { startFleet, type FleetStats } from '../fleet/fleet.js';
import { SimulatedHub } from '../hub/simulated-hub.js';
import type { TlsOptions } from '../mqtt/hub-link.js';
import { QueueLockedError } from '../errors/queue-locked.error.js';
import { DiskSampleQueue, type QueueRecovery } from '../queue/disk-sample-queue.js';
import { MemorySampleQueue } from '../queue/memory-sample-queue.js';
import type { SampleQueue } from '../queue/sample-queue.js';
import { SeededRandom } from '../random/seeded-random.js';
import { loadScenarioFile } from '../scenario/scenario.loader.js';
import { runScenario, type ScenarioWorld } from '../scenario/scenario.runner.js';
import { formatDuration } from '../time/duration.js';
import { RealTimeScheduler } from '../time/scheduler.js';
import { parseCli, USAGE, type CliConfig } from './args.js';
import { ProgressReporter, type OutStream, type ProgressSnapshot } from './progress.js';

/** Process exit codes of `npm run sim` (docs/firmware-sim.md). */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  invalidInput: 2, // unknown option, bad value, malformed scenario or credentials file
  brokerUnreachable: 3,
  credentialsRefused: 4, // CONNACK 4/5
  noBluetooth: 5,
  queueLocked: 6,
} as const;

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: the run stops cleanly and still reports. */
  signal?: AbortSignal;
}

/** The JSON report written at the end of every run. */
export interface SimReport {
  mode: CliConfig['mode'];
  outcome: 'completed' | 'interrupted';
  broker: string;
  identities: string;
  startedAt: string;
  endedAt: string;
  wallMs: number;
  hubs: number;
  tags: number;
  publishIntervalMs?: number;
  targetReadingsPerS?: number;
  /** Readings acknowledged per second over the whole run. */
  achievedReadingsPerS: number;
  totals: Omit<FleetStats, 'online' | 'hubs'>;
  /** Process CPU time over the run, ms, and its share of one core. */
  cpu: { userMs: number; systemMs: number; coreShare: number };
  /** Peak resident set size, MiB. */
  maxRssMiB: number;
  scenario?: unknown;
  /**
   * Fleet mode: connecting (start until every hub's first attempt settled),
   * then the steady window (connected until stop) the benchmark reads:
   * acknowledged rates, this process's CPU share of one core, event-loop
   * delay (saturation shows there first) and RSS at its end.
   */
  phases?: {
    connectMs: number;
    steady: {
      wallMs: number;
      messagesAckedPerS: number;
      readingsAckedPerS: number;
      cpuCoreShare: number;
      eventLoopDelayP50Ms: number;
      eventLoopDelayP99Ms: number;
      rssMiB: number;
      heapUsedMiB: number;
      /** Readings buffered at the end of the window (growth means the simulator or the broker cannot keep up). */
      bufferedAtEnd: number;
    };
  };
  queueRecovery?: Array<{ imei: string } & QueueRecovery>;
  notes: string[];
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const err = (line: string) => io.stderr.write(`${line}\n`);
  try {
    const parsed = parseCli(argv, io.env);
    if (parsed.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    const cfg = parsed.config;
    const tls: TlsOptions | undefined = cfg.tls
      ? {
          ca: cfg.tls.ca ? readFileSync(cfg.tls.ca) : undefined,
          rejectUnauthorized: cfg.tls.rejectUnauthorized,
        }
      : undefined;
    for (const note of cfg.notes) err(`note: ${note}`);
    const report =
      cfg.mode === 'scenario'
        ? await runScenarioMode(cfg, io, tls)
        : cfg.mode === 'ble'
          ? await runBleMode(cfg, io, tls)
          : await runFleetMode(cfg, io, tls);
    writeReport(cfg.reportPath, report, io);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof InvalidOptionError || e instanceof InvalidScenarioError) {
      err(`error: ${e.message}`);
      return EXIT.invalidInput;
    }
    if (e instanceof BrokerUnreachableError) {
      err(
        `error: ${e.message}. Is the broker running? (npm start runs the embedded one; --broker sets another)`,
      );
      return EXIT.brokerUnreachable;
    }
    if (e instanceof CredentialsRefusedError) {
      err(
        `error: ${e.message}. Check --credentials / --imei --secret, or use --anonymous for a broker without authentication.`,
      );
      return EXIT.credentialsRefused;
    }
    if (e instanceof NoBluetoothAdapterError) {
      err(`error: ${e.message}`);
      return EXIT.noBluetooth;
    }
    if (e instanceof QueueLockedError) {
      err(`error: ${e.message}; another simulator uses it (use another --queue-dir)`);
      return EXIT.queueLocked;
    }
    err(`error: unexpected failure: ${(e as Error)?.stack ?? String(e)}`);
    return EXIT.unexpected;
  }
}

function makeQueueFactory(
  cfg: CliConfig,
  recoveries: Array<{ imei: string } & QueueRecovery>,
  log: (l: string) => void,
): (imei: string) => SampleQueue {
  return (imei) => {
    if (!cfg.queueDir)
      return new MemorySampleQueue({ maxReadings: cfg.queueMaxReadings, whenFull: cfg.whenFull });
    const q = new DiskSampleQueue({
      dir: join(cfg.queueDir, imei),
      maxReadings: cfg.queueMaxReadings,
      whenFull: cfg.whenFull,
    });
    const r = q.recovery;
    recoveries.push({ imei, ...r });
    if (r.samples > 0)
      log(`hub ${imei}: ${r.readings} buffered reading(s) recovered from ${cfg.queueDir}, replaying`);
    if (r.tornTail)
      log(
        `hub ${imei}: queue recovery cut a torn last record (${r.tornTail.bytesDiscarded} bytes at ${r.tornTail.segment}:${r.tornTail.offset}); every whole record before it kept`,
      );
    for (const c of r.corrupt)
      log(`hub ${imei}: corrupt record in ${c.segment} at ${c.offset}: ${c.samplesLost} sample(s) lost`);
    if (r.stateProblem) log(`hub ${imei}: ${r.stateProblem}`);
    return q;
  };
}

/** Resolves after `ms` (never when undefined) or on abort; `race` cancels the timer once `other` settles first. */
function waitFor(
  ms: number | undefined,
  signal: AbortSignal | undefined,
  race?: Promise<unknown>,
): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = ms !== undefined ? setTimeout(done, ms) : undefined;
    function done() {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
    race?.then(done, done);
  });
}

function baseReport(
  cfg: CliConfig,
  startedAt: number,
  cpu0: NodeJS.CpuUsage,
  totals: SimReport['totals'],
  extra: Partial<SimReport>,
  aborted: boolean,
): SimReport {
  const wallMs = Date.now() - startedAt;
  const cpu = process.cpuUsage(cpu0);
  return {
    mode: cfg.mode,
    outcome: aborted ? 'interrupted' : 'completed',
    broker: cfg.brokerUrl,
    identities: cfg.identitySource,
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date().toISOString(),
    wallMs,
    hubs: cfg.hubs.length,
    tags: cfg.hubs.reduce((s, h) => s + h.tags.length, 0),
    achievedReadingsPerS: wallMs > 0 ? Math.round((totals.readingsAcked / wallMs) * 1000) : 0,
    totals,
    cpu: {
      userMs: Math.round(cpu.user / 1000),
      systemMs: Math.round(cpu.system / 1000),
      coreShare: wallMs > 0 ? Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 1000 : 0,
    },
    maxRssMiB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    notes: cfg.notes,
    ...extra,
  };
}

function printSummary(io: CliIo, r: SimReport): void {
  const t = r.totals;
  io.stdout.write(
    `\n${r.mode} ${r.outcome} after ${formatDuration(r.wallMs)}: ${r.hubs} hub(s), ${r.tags} tag(s)\n` +
      `  messages  sent ${t.sent}, acknowledged ${t.acked}\n` +
      `  readings  sent ${t.readingsSent}, acknowledged ${t.readingsAcked}, still buffered ${t.buffered}, dropped (queue full) ${t.dropped}\n` +
      `  reconnects ${t.reconnects}; achieved ${r.achievedReadingsPerS} readings/s${r.targetReadingsPerS ? ` (target ${r.targetReadingsPerS})` : ''}\n` +
      `  process   CPU ${r.cpu.userMs + r.cpu.systemMs} ms (${Math.round(r.cpu.coreShare * 100)} % of one core), max RSS ${r.maxRssMiB} MiB\n`,
  );
}

function writeReport(path: string, r: SimReport, io: CliIo): void {
  printSummary(io, r);
  const json = JSON.stringify(r, null, 2);
  if (path === '-') {
    io.stdout.write(`${json}\n`);
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${json}\n`);
  io.stdout.write(`  report    ${path}\n`);
}

async function runFleetMode(cfg: CliConfig, io: CliIo, tls: TlsOptions | undefined): Promise<SimReport> {
  const startedAt = Date.now();
  const cpu0 = process.cpuUsage();
  const tags = cfg.hubs.reduce((s, h) => s + h.tags.length, 0);
  const natural = Math.round((tags / cfg.publishIntervalMs) * 1000);
  io.stdout.write(
    `fleet: ${cfg.hubs.length} hub(s) × ${Math.round(tags / cfg.hubs.length)} tag(s) → ${cfg.brokerUrl}, every ${formatDuration(cfg.publishIntervalMs)} (≈ ${natural} readings/s)` +
      `${cfg.durationMs ? ` for ${formatDuration(cfg.durationMs)}` : ', until Ctrl-C'}; identities: ${cfg.identitySource}\n`,
  );
  let fleetRef: Awaited<ReturnType<typeof startFleet>> | undefined;
  const snapshot = (): ProgressSnapshot => {
    const s = fleetRef?.stats() ?? {
      sent: 0,
      acked: 0,
      buffered: 0,
      reconnects: 0,
      readingsAcked: 0,
      dropped: 0,
      online: 0,
      hubs: cfg.hubs.length,
      readingsSent: 0,
    };
    return {
      ...s,
      fraction: cfg.durationMs ? Math.min(1, (Date.now() - startedAt) / cfg.durationMs) : undefined,
    };
  };
  const progress = new ProgressReporter(io.stdout, snapshot, !cfg.quiet);
  const recoveries: Array<{ imei: string } & QueueRecovery> = [];
  const log = (l: string) => progress.log(l);
  progress.start();
  try {
    const fleet = await startFleet({
      brokerUrl: cfg.brokerUrl,
      hubs: cfg.hubs,
      publishIntervalMs: cfg.publishIntervalMs,
      seed: cfg.seed,
      gps: cfg.gps,
      tls,
      log,
      queueFactory: makeQueueFactory(cfg, recoveries, log),
    });
    fleetRef = fleet;
    const connectedAt = Date.now();
    const cpuConnected = process.cpuUsage();
    const atConnect = fleet.stats();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    await waitFor(cfg.durationMs, io.signal); // --duration counts from the moment every hub has connected
    progress.tick();
    loop.disable();
    const atEnd = fleet.stats();
    const steadyMs = Date.now() - connectedAt;
    const steadyCpu = process.cpuUsage(cpuConnected);
    const mem = process.memoryUsage();
    const perS = (v: number) => (steadyMs > 0 ? Math.round((v / steadyMs) * 1000) : 0);
    const phases: SimReport['phases'] = {
      connectMs: connectedAt - startedAt,
      steady: {
        wallMs: steadyMs,
        messagesAckedPerS: perS(atEnd.acked - atConnect.acked),
        readingsAckedPerS: perS(atEnd.readingsAcked - atConnect.readingsAcked),
        cpuCoreShare:
          steadyMs > 0
            ? Math.round(((steadyCpu.user + steadyCpu.system) / 1000 / steadyMs) * 1000) / 1000
            : 0,
        eventLoopDelayP50Ms: Math.round(loop.percentile(50) / 1e4) / 100,
        eventLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
        rssMiB: Math.round((mem.rss / 1048576) * 10) / 10,
        heapUsedMiB: Math.round((mem.heapUsed / 1048576) * 10) / 10,
        bufferedAtEnd: atEnd.buffered,
      },
    };
    await fleet.stop();
    const s = fleet.stats();
    const { online: _o, hubs: _h, ...totals } = s;
    const r = baseReport(
      cfg,
      startedAt,
      cpu0,
      totals,
      {
        publishIntervalMs: cfg.publishIntervalMs,
        targetReadingsPerS: cfg.rate ?? natural,
        phases,
        queueRecovery: cfg.queueDir ? recoveries : undefined,
      },
      io.signal?.aborted ?? false,
    );
    return r;
  } finally {
    progress.stop();
  }
}

async function runScenarioMode(cfg: CliConfig, io: CliIo, tls: TlsOptions | undefined): Promise<SimReport> {
  const startedAt = Date.now();
  const cpu0 = process.cpuUsage();
  const scn = loadScenarioFile(cfg.scenarioFile!);
  let world: ScenarioWorld | undefined;
  const snapshot = (): ProgressSnapshot => {
    const hubs = world ? [...world.hubs.values()] : [];
    const s = hubs.map((h) => h.stats());
    const sum = (k: keyof (typeof s)[number]) => s.reduce((a, x) => a + x[k], 0);
    const simNow = world?.scheduler.now() ?? 0;
    return {
      sent: sum('sent'),
      acked: sum('acked'),
      buffered: sum('buffered'),
      reconnects: sum('reconnects'),
      readingsAcked: sum('readingsAcked'),
      dropped: sum('dropped'),
      online: hubs.filter((h) => h.linkState === 'online').length,
      hubs: hubs.length,
      fraction: world ? Math.min(1, (simNow - world.startAt) / (world.endAt - world.startAt)) : 0,
      label: world ? `sim ${new Date(simNow).toISOString().slice(0, 19)}Z` : undefined,
    };
  };
  const progress = new ProgressReporter(io.stdout, snapshot, !cfg.quiet);
  io.stdout.write(
    `scenario ${scn.name}${scn.description ? `: ${scn.description}` : ''} → ${cfg.brokerUrl}\n`,
  );
  progress.start();
  try {
    const report = await runScenario(scn, {
      brokerUrl: cfg.brokerUrl,
      tls,
      credentials: cfg.credentials?.hubs ?? (cfg.identitySource === 'flags' ? cfg.hubs : undefined),
      knownTags: cfg.credentials?.tags,
      seed: cfg.seed,
      speed: cfg.speed,
      startAt: cfg.endNow ? Date.now() - scn.duration : cfg.startAt,
      queueDir: cfg.queueDir,
      log: (l) => progress.log(l),
      signal: io.signal,
      onWorld: (w) => (world = w),
    });
    progress.tick();
    if (!report.drained && !report.aborted)
      progress.log(
        `warning: ${report.totals.buffered} reading(s) still buffered when the scenario ended (a hub offline at the end, or a slow broker)`,
      );
    return baseReport(
      { ...cfg, hubs: report.hubs.map((h) => ({ imei: h.imei, secret: '', tags: [] })) },
      startedAt,
      cpu0,
      report.totals,
      {
        scenario: report,
        tags: scn.tags.length,
        queueRecovery: report.hubs.filter((h) => h.recovery).map((h) => ({ imei: h.imei, ...h.recovery! })),
      },
      report.aborted,
    );
  } finally {
    progress.stop();
  }
}

async function runBleMode(cfg: CliConfig, io: CliIo, tls: TlsOptions | undefined): Promise<SimReport> {
  const startedAt = Date.now();
  const cpu0 = process.cpuUsage();
  let noble: NobleLike;
  let replayDone: Promise<void> | undefined;
  if (cfg.bleReplay) {
    let recording: { reports: RecordedAdvertisement[] };
    try {
      recording = JSON.parse(readFileSync(cfg.bleReplay, 'utf8')) as { reports: RecordedAdvertisement[] };
      if (!Array.isArray(recording.reports)) throw new Error('"reports" must be an array');
    } catch (e) {
      throw new InvalidOptionError(`--ble-replay ${cfg.bleReplay}: ${(e as Error).message}`);
    }
    const r = createRecordedNoble(recording.reports, { speed: 1 });
    noble = r.noble;
    replayDone = r.finished;
  } else {
    noble = await loadNoble();
  }
  const spec = cfg.hubs[0];
  const scheduler = new RealTimeScheduler();
  const source = new HeardReadingsSource();
  const random = new SeededRandom(cfg.seed ?? 1);
  const recoveries: Array<{ imei: string } & QueueRecovery> = [];
  const built: { hub?: SimulatedHub } = {}; // the progress line starts reading before the hub exists
  const progress = new ProgressReporter(
    io.stdout,
    () => {
      const hub = built.hub;
      const s = hub?.stats() ?? {
        sent: 0,
        acked: 0,
        buffered: 0,
        reconnects: 0,
        readingsAcked: 0,
        dropped: 0,
      };
      return {
        ...s,
        online: hub?.linkState === 'online' ? 1 : 0,
        hubs: 1,
        label: `heard ${scanner.stats.heard}, K-TAG readings ${scanner.stats.readings}, repeats ${scanner.stats.repeats}`,
      };
    },
    !cfg.quiet,
  );
  const log = (l: string) => progress.log(l);
  const queue = makeQueueFactory(cfg, recoveries, log)(spec.imei);
  const hub = new SimulatedHub({
    imei: spec.imei,
    secret: spec.secret,
    brokerUrl: cfg.brokerUrl,
    tls,
    scheduler,
    tags: [],
    source,
    queue,
    samplingIntervalMs: cfg.publishIntervalMs,
    publishIntervalMs: cfg.publishIntervalMs,
    random,
  });
  built.hub = hub;
  const scanner = new KTagScanner(noble, { clock: scheduler, onTag: (h) => source.push(h), log });
  io.stdout.write(
    `ble: hub ${spec.imei} → ${cfg.brokerUrl}, publishing K-TAGs heard every ${formatDuration(cfg.publishIntervalMs)}${cfg.bleReplay ? ` (replaying ${cfg.bleReplay})` : ''}\n`,
  );
  progress.start();
  try {
    hub.start();
    const first = await hub.whenFirstAttemptSettled();
    if (first.kind === 'refused') throw new CredentialsRefusedError([spec.imei], first.returnCode);
    if (first.kind === 'unreachable') throw new BrokerUnreachableError(cfg.brokerUrl, first.error);
    await scanner.start();
    if (replayDone) {
      await waitFor(cfg.durationMs, io.signal, replayDone);
      hub.sampleNow();
      hub.publishNow();
      await waitFor(DEFAULTS.scenarioDrainTimeoutMs, io.signal, hub.whenDrained());
    } else {
      await waitFor(cfg.durationMs, io.signal);
    }
    progress.tick();
    const s = hub.stats();
    return baseReport(
      cfg,
      startedAt,
      cpu0,
      {
        sent: s.sent,
        acked: s.acked,
        buffered: s.buffered,
        reconnects: s.reconnects,
        readingsSent: s.readingsSent,
        readingsAcked: s.readingsAcked,
        dropped: s.dropped,
      },
      {
        publishIntervalMs: cfg.publishIntervalMs,
        scenario: { scanner: scanner.stats },
        queueRecovery: cfg.queueDir ? recoveries : undefined,
      },
      io.signal?.aborted ?? false,
    );
  } finally {
    progress.stop();
    await scanner.stop();
    await hub.stop();
    scheduler.cancelAll();
    queue.close();
  }
}

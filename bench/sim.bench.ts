/**
 * How many hubs and messages per second one simulator process sustains on
 * one core, with its CPU and memory, so that the pipeline benchmark knows its
 * load generator is not its bottleneck. After `npm run build`:
 *
 *   node dist/bench/sim.bench.js [--duration 20] [--steps 1000x20@5s,1000x20@1s,...]
 *
 * Each step runs the real CLI (`dist/gateway-firmware-sim/src/cli.js`, fleet
 * mode, the same code `npm run sim` runs) as a child process pinned to CPU 0
 * (taskset), against a counting aedes broker in another child pinned to CPU 1,
 * for `duration` seconds after every hub connected. From the CLI's JSON
 * report: connect time, acknowledged messages and readings per second in the
 * steady window, the simulator's CPU share of its one core, event-loop delay,
 * RSS; from the broker: what it counted and its own CPU. A step "holds" when
 * it acknowledges at least 95 % of its target rate with no more than one
 * period's readings left buffered. Prints a table, writes bench/results/sim.json.
 * Bounded: every child is killed at duration + a margin.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
/** Steady window per step, seconds. */
const DURATION_S = Number(arg('duration', '20'));
/** hubs x tags-per-hub @ interval. Ordered by load; the ladder stops after two steps in a row fail to hold. */
const STEPS = arg(
  'steps',
  '100x20@5s,1000x20@5s,1000x20@2s,1000x20@1s,2000x20@1s,3000x20@1s,2000x50@1s,4000x20@1s,5000x10@1s,8000x1@1s',
)
  .split(',')
  .map((s) => {
    const m = /^(\d+)x(\d+)@(\d+(?:\.\d+)?)(ms|s)$/.exec(s.trim());
    if (!m) throw new Error(`bad step "${s}" (want HUBSxTAGS@INTERVAL, e.g. 1000x20@5s)`);
    return { hubs: Number(m[1]), tags: Number(m[2]), intervalMs: Number(m[3]) * (m[4] === 's' ? 1000 : 1) };
  });
/** A child still running this long after its expected end is killed (bounded benchmark). */
const MARGIN_MS = 120_000;

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const CLI = join(HERE, '..', 'gateway-firmware-sim', 'src', 'cli.js');
const BROKER = join(HERE, 'sim', 'counting-broker.js');
const canPin = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return cpus().length >= 2;
  } catch {
    return false;
  }
})();

interface BrokerStats {
  telemetry: number;
  telemetryBytes: number;
  status: number;
  clients: number;
  cpuMs: number;
}

interface StepResult {
  step: string;
  hubs: number;
  tagsPerHub: number;
  intervalMs: number;
  targetMessagesPerS: number;
  targetReadingsPerS: number;
  connectMs: number;
  messagesAckedPerS: number;
  readingsAckedPerS: number;
  simCpuCoreShare: number;
  eventLoopDelayP99Ms: number;
  simRssMiB: number;
  bufferedAtEnd: number;
  brokerMessages: number;
  brokerCpuCoreShare: number;
  avgMessageBytes: number;
  holds: boolean;
  exitCode: number | null;
  error?: string;
}

function startBroker(): Promise<{ port: number; stats(): Promise<BrokerStats>; close(): Promise<void> }> {
  const child = fork(BROKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  if (canPin) execFileSync('taskset', ['-cp', '1', String(child.pid)], { stdio: 'ignore' });
  const kill = setTimeout(() => child.kill('SIGKILL'), DURATION_S * 1000 + MARGIN_MS * 2);
  kill.unref();
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m) => {
      const { port } = m as { port: number };
      resolve({
        port,
        stats: () =>
          new Promise((res) => {
            child.once('message', (s) => res(s as BrokerStats));
            child.send('stats');
          }),
        close: () =>
          new Promise((res) => {
            clearTimeout(kill);
            child.once('exit', () => res());
            child.send('close');
          }),
      });
    });
  });
}

function runCli(argv: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  const cmd = canPin ? 'taskset' : process.execPath;
  const full = canPin ? ['-c', '0', process.execPath, CLI, ...argv] : [CLI, ...argv];
  const child = spawn(cmd, full, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr });
    }),
  );
}

interface CliReport {
  phases?: {
    connectMs: number;
    steady: {
      wallMs: number;
      messagesAckedPerS: number;
      readingsAckedPerS: number;
      cpuCoreShare: number;
      eventLoopDelayP99Ms: number;
      rssMiB: number;
      bufferedAtEnd: number;
    };
  };
  wallMs: number;
}

async function runStep(step: (typeof STEPS)[number], dir: string): Promise<StepResult> {
  const name = `${step.hubs}x${step.tags}@${step.intervalMs}ms`;
  const targetMessagesPerS = (step.hubs / step.intervalMs) * 1000;
  const targetReadingsPerS = targetMessagesPerS * step.tags;
  const broker = await startBroker();
  const reportPath = join(dir, `${name}.json`);
  const base: StepResult = {
    step: name,
    hubs: step.hubs,
    tagsPerHub: step.tags,
    intervalMs: step.intervalMs,
    targetMessagesPerS: Math.round(targetMessagesPerS),
    targetReadingsPerS: Math.round(targetReadingsPerS),
    connectMs: 0,
    messagesAckedPerS: 0,
    readingsAckedPerS: 0,
    simCpuCoreShare: 0,
    eventLoopDelayP99Ms: 0,
    simRssMiB: 0,
    bufferedAtEnd: 0,
    brokerMessages: 0,
    brokerCpuCoreShare: 0,
    avgMessageBytes: 0,
    holds: false,
    exitCode: null,
  };
  try {
    const t0 = Date.now();
    const { code, stderr } = await runCli(
      [
        '--broker',
        `mqtt://127.0.0.1:${broker.port}`,
        '--anonymous',
        '--hubs',
        String(step.hubs),
        '--tags-per-hub',
        String(step.tags),
        '--interval',
        `${step.intervalMs}ms`,
        '--duration',
        `${DURATION_S}s`,
        '--quiet',
        '--report',
        reportPath,
      ],
      DURATION_S * 1000 + MARGIN_MS,
    );
    const wall = Date.now() - t0;
    const b = await broker.stats();
    base.exitCode = code;
    base.brokerMessages = b.telemetry;
    base.brokerCpuCoreShare = Math.round((b.cpuMs / wall) * 100) / 100;
    base.avgMessageBytes = b.telemetry ? Math.round(b.telemetryBytes / b.telemetry) : 0;
    if (code !== 0) {
      base.error = stderr.trim().split('\n').slice(-3).join(' | ');
      return base;
    }
    const r = JSON.parse(readFileSync(reportPath, 'utf8')) as CliReport;
    const s = r.phases!.steady;
    Object.assign(base, {
      connectMs: r.phases!.connectMs,
      messagesAckedPerS: s.messagesAckedPerS,
      readingsAckedPerS: s.readingsAckedPerS,
      simCpuCoreShare: s.cpuCoreShare,
      eventLoopDelayP99Ms: s.eventLoopDelayP99Ms,
      simRssMiB: s.rssMiB,
      bufferedAtEnd: s.bufferedAtEnd,
    });
    base.holds = s.readingsAckedPerS >= 0.95 * targetReadingsPerS && s.bufferedAtEnd <= step.hubs * step.tags;
    return base;
  } finally {
    await broker.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'sim-bench-'));
const results: StepResult[] = [];
let misses = 0;
console.log(
  `sim bench: ${STEPS.length} step(s) × ${DURATION_S}s steady, simulator ${canPin ? 'pinned to CPU 0, broker to CPU 1' : 'not pinned (taskset unavailable)'}; load ${loadavg()[0].toFixed(2)}`,
);
for (const step of STEPS) {
  const r = await runStep(step, dir);
  results.push(r);
  console.log(
    `${r.step.padEnd(18)} target ${String(r.targetMessagesPerS).padStart(6)} msg/s ${String(r.targetReadingsPerS).padStart(7)} r/s | ` +
      `acked ${String(r.messagesAckedPerS).padStart(6)} msg/s ${String(r.readingsAckedPerS).padStart(7)} r/s | sim CPU ${String(Math.round(r.simCpuCoreShare * 100)).padStart(3)} % ` +
      `loop p99 ${String(r.eventLoopDelayP99Ms).padStart(6)} ms RSS ${String(r.simRssMiB).padStart(6)} MiB | broker CPU ${String(Math.round(r.brokerCpuCoreShare * 100)).padStart(3)} % | ` +
      `connect ${(r.connectMs / 1000).toFixed(1)} s | ${r.holds ? 'holds' : `DOES NOT HOLD${r.error ? `: ${r.error}` : ''}`}`,
  );
  misses = r.holds ? 0 : misses + 1;
  if (misses >= 2) break;
}
rmSync(dir, { recursive: true, force: true });

const held = results.filter((r) => r.holds);
const best = held.reduce<StepResult | undefined>(
  (a, r) => (!a || r.readingsAckedPerS > a.readingsAckedPerS ? r : a),
  undefined,
);
const bestMsgs = held.reduce<StepResult | undefined>(
  (a, r) => (!a || r.messagesAckedPerS > a.messagesAckedPerS ? r : a),
  undefined,
);
const out = {
  at: new Date().toISOString(),
  cpus: cpus().length,
  loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  pinned: canPin,
  durationS: DURATION_S,
  results,
  summary: {
    mostReadingsPerSHeld: best && {
      step: best.step,
      readingsPerS: best.readingsAckedPerS,
      simCpuCoreShare: best.simCpuCoreShare,
      rssMiB: best.simRssMiB,
    },
    mostMessagesPerSHeld: bestMsgs && {
      step: bestMsgs.step,
      messagesPerS: bestMsgs.messagesAckedPerS,
      simCpuCoreShare: bestMsgs.simCpuCoreShare,
      rssMiB: bestMsgs.simRssMiB,
    },
    mostHubsHeld: held.reduce((m, r) => Math.max(m, r.hubs), 0),
  },
};
const resultsDir = join(process.cwd(), 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'sim.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(
  `\nheld up to ${out.summary.mostHubsHeld} hubs; best ${JSON.stringify(out.summary.mostReadingsPerSHeld)}; written bench/results/sim.json`,
);

/**
 * Alert notification latency, hub to provider: p50/p99 from a hub's
 * MQTT publish of an excursion to the provider accepting the notification —
 * the SMTP server's `250` after DATA (a real `smtp-server`) and the Twilio
 * stand-in's `201` for the SMS (the real `twilio` client, re-rooted with
 * TWILIO_API_BASE_URL) — with background readings load.
 *
 *   npm run bench:notify                       (builds first), or after a build:
 *   node dist/bench/notify-latency.bench.js [--stack production|embedded] [--loads 0,5000,20000]
 *        [--probes 40] [--warmup 5]
 *        production: [--probe-interval-ms 500] [--tags-per-hub 50] [--interval-ms 1000] [--ingest 2]
 *                    [--settle-s 10] [--drain-s 60] [--app-env KEY=value,...] [--generator-nice 19]
 *        embedded:   [--gap-ms 250]
 *
 * `--stack production` (default): the apps as separate processes on Kafka,
 * InfluxDB and PostgreSQL, the load generator and the providers each in a
 * process of their own (bench/notify/production.ts); writes
 * bench/results/notify-latency.json. `--stack embedded`: everything in this
 * one process (bench/notify/embedded.ts); writes
 * bench/results/notify-latency-embedded.json. Method and figures:
 * docs/notifications.md, "Benchmark".
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEmbedded } from './notify/embedded.js';
import { runProduction } from './notify/production.js';
import { GENERATOR_NICE } from './pipeline/generator-client.js';

const argv = process.argv.slice(2);
/** `--name value` or `--name=value`. */
const arg = (name: string, fallback: string): string => {
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq !== undefined) return eq.slice(name.length + 3);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const num = (name: string, fallback: number): number => {
  const v = Number(arg(name, String(fallback)));
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name}: expected a number ≥ 0`);
  return v;
};
const STACK = arg('stack', 'production');
if (STACK !== 'production' && STACK !== 'embedded') throw new Error('--stack: production or embedded');
const LOADS = arg('loads', STACK === 'production' ? '0,5000,20000' : '0,2000,20000')
  .split(',')
  .map((s) => Number(s.trim()));
const PROBES = num('probes', 40);
const WARMUP = num('warmup', 5);
const TARGET_P99_MS = 500;

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const REPO = resolve(HERE, '..', '..');
const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * The commit the run started from and the tracked files that differed from it: the apps run from
 * dist/, built from the working tree, which other work in the same checkout may have changed.
 */
function source(): { commit: string; uncommitted: string[] } | undefined {
  try {
    const git = (...a: string[]): string => execFileSync('git', a, { cwd: REPO }).toString();
    return {
      commit: git('rev-parse', '--short', 'HEAD').trim(),
      uncommitted: git('status', '--porcelain', '--untracked-files=no')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(3))
        .filter((f) => !f.startsWith('bench/results/')),
    };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const loadavgAtStart = loadavg().map(round2);
  const common = {
    bench: 'notify-latency',
    stack: STACK,
    at: new Date().toISOString(),
    node: process.version,
    source: source(),
  };
  const machine = (): Record<string, unknown> => ({
    cpus: cpus().length,
    model: cpus()[0]?.model,
    loadavgAtStart,
    loadavgAtEnd: loadavg().map(round2),
  });
  let report: Record<string, unknown>;
  let summary: Array<Record<string, unknown>>;
  if (STACK === 'production') {
    const options = {
      loads: LOADS,
      probes: PROBES,
      warmup: WARMUP,
      probeIntervalMs: num('probe-interval-ms', 500),
      tagsPerHub: num('tags-per-hub', 50),
      intervalMs: num('interval-ms', 1000),
      ingestInstances: num('ingest', 2),
      settleS: num('settle-s', 10),
      drainS: num('drain-s', 60),
      generatorNice: num('generator-nice', GENERATOR_NICE),
      appEnv: Object.fromEntries(
        arg('app-env', '')
          .split(',')
          .filter(Boolean)
          .map((kv) => kv.split('=') as [string, string]),
      ),
    };
    const levels = await runProduction({ ...options, distBench: HERE, repo: REPO });
    summary = levels.flatMap((l) =>
      l.results.map((r) => ({
        'load /s offered→acked→ingested': `${l.offeredReadingsPerS}→${l.ackedReadingsPerS}→${l.ingestedReadingsPerS}`,
        path: r.path,
        n: r.n,
        missing: r.missing,
        p50_ms: r.p50_ms,
        p99_ms: r.p99_ms ?? `> ${options.drainS} s`,
        'p99<500': r.p99_ms !== null && r.p99_ms < TARGET_P99_MS ? 'yes' : 'NO',
        'load avg': l.loadavgAtEnd[0],
      })),
    );
    report = {
      ...common,
      machine: machine(),
      wallS: Math.round((Date.now() - startedAt) / 1000),
      setup: {
        pipeline:
          'production stack, one process each: gateway (aedes) → Kafka → ingest × N (alarm engine, InfluxDB) → Kafka → notifier (PostgreSQL delivery log) → providers process (smtp-server, Twilio stand-in); load generator (firmware-sim fleet) and probe publisher in processes of their own',
        ...options,
        targetP99Ms: TARGET_P99_MS,
      },
      levels,
    };
  } else {
    const options = { loads: LOADS, probes: PROBES, warmup: WARMUP, gapMs: num('gap-ms', 250) };
    const levels = await runEmbedded(options);
    summary = levels.flatMap((l) =>
      l.results.map((r) => ({
        'load /s (target→ingested)': `${l.targetLoadReadingsPerS}→${l.ingestedReadingsPerS}`,
        path: r.path,
        n: r.n,
        p50_ms: r.p50_ms,
        p99_ms: r.p99_ms,
        'p99<500': r.p99_ms !== null && r.p99_ms < TARGET_P99_MS ? 'yes' : 'NO',
      })),
    );
    report = {
      ...common,
      machine: machine(),
      setup: {
        pipeline:
          'embedded, one process: aedes → in-process bus → ingest (alarm engine) → SQLite → notifier (SQLite delivery log) → SMTP sink / Twilio stand-in; load generator and providers in the same process',
        ...options,
        targetP99Ms: TARGET_P99_MS,
      },
      levels,
    };
  }
  console.table(summary);
  const file = join(
    REPO,
    'bench',
    'results',
    STACK === 'production' ? 'notify-latency.json' : 'notify-latency-embedded.json',
  );
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written ${file}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

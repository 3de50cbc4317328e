/**
 * Embedded platform start-up and memory, measured as a newcomer sees them:
 * the built platform (`npm run build` first) started as a process on a fresh
 * DATA_DIR with the default demo fleet.
 *
 *   node dist/bench/embedded-platform.bench.js [--runs 3] [--duration 30]
 *
 * Per run: time from spawn to /health 200 (cold: seeding included on the
 * first start of a DATA_DIR; warm: a restart on the same DATA_DIR), time to the
 * first reading ingested from the simulated fleet, RSS after `duration`
 * seconds and its peak. Prints a table, writes bench/results/embedded-platform.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/process.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = arg('runs', 3);
const DURATION_S = arg('duration', 30);

const rssKb = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
const hwmKb = (pid: number): number =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    try {
      if (await check()) return performance.now() - t0;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

interface Run {
  start: 'cold' | 'warm';
  readyMs: number;
  firstReadingMs: number;
  rssMb: number;
  peakRssMb: number;
  ingested: number;
}

async function once(dataDir: string, start: Run['start']): Promise<Run> {
  const [port, mqtt] = [await freePort(), await freePort()];
  const http = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/apps/platform/src/main.js'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      MQTT_PORT: String(mqtt),
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const ingested = async (): Promise<number> => {
    const text = await (await fetch(`${http}/metrics`)).text();
    return Number(/^coldchain_readings_ingested_total (\d+)/m.exec(text)?.[1] ?? 0);
  };
  await waitFor(async () => (await fetch(`${http}/health`)).status === 200, 60_000);
  const readyMs = performance.now() - t0;
  await waitFor(async () => (await ingested()) > 0, 60_000);
  const firstReadingMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, DURATION_S * 1000));
  const run: Run = {
    start,
    readyMs: Math.round(readyMs),
    firstReadingMs: Math.round(firstReadingMs),
    rssMb: Math.round(rssKb(child.pid!) / 1024),
    peakRssMb: Math.round(hwmKb(child.pid!) / 1024),
    ingested: await ingested(),
  };
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return run;
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cc-bench-'));
    runs.push(await once(dir, 'cold'));
    runs.push(await once(dir, 'warm'));
  }
  console.table(runs);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pick = (s: Run['start']) => runs.filter((r) => r.start === s);
  const summary = {
    bench: 'embedded-platform',
    at: new Date().toISOString(),
    durationS: DURATION_S,
    fleet: 'default demo fleet: 3 hubs x 4 tags every 5 s',
    coldReadyMsMedian: median(pick('cold').map((r) => r.readyMs)),
    warmReadyMsMedian: median(pick('warm').map((r) => r.readyMs)),
    firstReadingMsMedian: median(pick('cold').map((r) => r.firstReadingMs)),
    rssMbMedian: median(runs.map((r) => r.rssMb)),
    peakRssMbMax: Math.max(...runs.map((r) => r.peakRssMb)),
    runs,
  };
  console.log(JSON.stringify({ ...summary, runs: undefined }, null, 2));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/embedded-platform.json', JSON.stringify(summary, null, 2) + '\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * Process plumbing of the production-stack benchmarks (bench/pipeline.bench.ts,
 * bench/notify/production.ts): the engines (infra/up.sh), the apps as child
 * processes started the way `npm run start:stack` starts them
 * (`node dist/apps/<app>/src/main.js` with PORT and the stack's environment),
 * their /health and /metrics, and CPU and RSS per process group from /proc
 * (docs/performance.md, "CPU and memory").
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test/support/process.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Every child started through here; all are SIGKILLed if the bench exits without stopping them. */
const children: ChildProcess[] = [];
export function adopt(child: ChildProcess): ChildProcess {
  children.push(child);
  return child;
}
function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.on('exit', killChildren);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    killChildren();
    process.exit(130);
  });

/** A free TCP port on 127.0.0.1: the test helper's, one copy for tests and benchmarks. */
export { freePort };

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await sleep(200);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

/** `infra/up.sh` for the engines the stack needs (idempotent: engines already up are only checked); its KEY=value endpoints. */
export function infraUp(repo: string): Promise<Record<string, string>> {
  return new Promise((res, rej) => {
    execFile(
      'bash',
      [join(repo, 'infra', 'up.sh'), 'kafka', 'influxdb', 'postgres'],
      { cwd: repo, timeout: 600_000, maxBuffer: 8 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return rej(new Error(`infra/up.sh failed: ${err.message}\n${stderr}`));
        const env: Record<string, string> = {};
        for (const line of stdout.split('\n')) {
          const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
          if (m) env[m[1]] = m[2];
        }
        res(env);
      },
    );
  });
}

export interface App {
  name: string;
  child: ChildProcess;
  http: string;
  output: () => string;
}

/** Starts `node <dist>/<script>` with `env` and a free PORT; resolves once /health answers 200. Output goes to `<logDir>/<name>.log`. */
export async function startApp(
  name: string,
  script: string,
  env: Record<string, string>,
  {
    dist,
    logDir,
    startTimeoutMs,
    nodeFlags = [],
  }: { dist: string; logDir: string; startTimeoutMs: number; nodeFlags?: string[] },
): Promise<App> {
  const port = await freePort();
  const child = adopt(
    spawn(process.execPath, [...nodeFlags, join(dist, script)], {
      cwd: logDir,
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let out = '';
  const logFile = createWriteStream(join(logDir, `${name}.log`));
  const keep = (d: Buffer): void => {
    logFile.write(d);
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', () => logFile.end());
  const app: App = { name, child, http: `http://127.0.0.1:${port}`, output: () => out };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error('exited');
        return (await fetch(`${app.http}/health`)).status === 200;
      },
      startTimeoutMs,
      `${name} healthy`,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${(err as Error).message}\n${out}`);
  }
  return app;
}

/** Graceful stop (SIGTERM), SIGKILL after `killAfterMs`. */
export async function stopChild(child: ChildProcess, killAfterMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited;
  clearTimeout(timer);
}

/** An app's whole /metrics page: one render of its registry (take one per app per snapshot, not one per metric). */
export async function metricsText(app: App): Promise<string> {
  return (await fetch(`${app.http}/metrics`)).text();
}

/** One sample of a Prometheus metric in a /metrics page (first series when labelled); 0 when absent. */
export function sampleOf(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/**
 * Sum of every series of `name` in a /metrics page whose labels contain `labelPart` (e.g.
 * `channel="email:smtp"`); 0 when absent. For histograms pass `<name>_sum` or `<name>_count`.
 */
export function sumOf(text: string, name: string, labelPart = ''): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm')))
    if ((m[1] ?? '').includes(labelPart)) sum += Number(m[2]);
  return sum;
}

/** Ingest's counters summed over its instances: readings stored, batches, store writes, write-behind waits. */
export interface IngestTotals {
  ingested: number;
  batches: number;
  records: number;
  writes: number;
  writeS: number;
  waits: number;
  waitS: number;
}

const INGEST_TOTALS: Record<keyof IngestTotals, string> = {
  ingested: 'coldchain_readings_ingested_total',
  batches: 'coldchain_ingest_batch_records_count',
  records: 'coldchain_ingest_batch_records_sum',
  writes: 'coldchain_store_write_seconds_count',
  writeS: 'coldchain_store_write_seconds_sum',
  waits: 'coldchain_ingest_write_behind_wait_seconds_count',
  waitS: 'coldchain_ingest_write_behind_wait_seconds_sum',
};

/** {@link IngestTotals} from the ingest instances' /metrics pages (one page per instance), to difference over a window. */
export function ingestTotals(pages: readonly string[]): IngestTotals {
  const out = {} as IngestTotals;
  for (const [key, name] of Object.entries(INGEST_TOTALS) as [keyof IngestTotals, string][])
    out[key] = pages.reduce((sum, page) => sum + sumOf(page, name), 0);
  return out;
}

/** One sample of a Prometheus metric from an app's /metrics (first series when labelled); 0 when absent. */
export async function metric(app: App, name: string): Promise<number> {
  return sampleOf(await metricsText(app), name);
}

// --- /proc accounting ---------------------------------------------------------------------------

const TICKS_PER_S = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15)
  } catch {
    return 0;
  }
}

function rssKb(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** A process and its direct children (PostgreSQL's backends, checkpointer, WAL writer...). */
function withChildren(pid: number): number[] {
  const out = [pid];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

export interface Group {
  name: string;
  pids: () => number[];
}

function pidFile(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').split('\n')[0].trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The engines infra/up.sh runs, by their pid files under `infraDir` (.infra). */
export function engineGroups(infraDir: string): Group[] {
  const fixed = (name: string, file: string, children = false): Group => ({
    name,
    pids: () => {
      const pid = pidFile(join(infraDir, file));
      if (pid === undefined) return [];
      return children ? withChildren(pid) : [pid];
    },
  });
  return [
    fixed('kafka', 'kafka/kafka.pid'),
    fixed('influxd', 'influxdb/influxd.pid'),
    fixed('nginx', 'nginx/nginx.pid', true),
    fixed('postgres', 'postgres/data/postmaster.pid', true),
  ];
}

/** The machine's CPU ticks from /proc/stat's first line: busy (user, nice, system, irq, softirq), iowait, steal. */
function machineTicks(): { busy: number; iowait: number; steal: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return { busy: f[0] + f[1] + f[2] + f[5] + f[6], iowait: f[4], steal: f[7] ?? 0 };
}

/** CPU (share of one core) and peak RSS per process group over a window. */
export class ProcessMeter {
  private readonly startTicks = new Map<string, number>();
  private readonly peakKb = new Map<string, number>();
  private startAt = 0;
  private startMachine = { busy: 0, iowait: 0, steal: 0 };
  private timer?: NodeJS.Timeout;
  /**
   * The whole machine over the last window, % of one core: busy, waiting for I/O, and stolen by the
   * hypervisor (other guests on the host: a run with steal is not comparable with one without).
   */
  machine = { busyPct: 0, iowaitPct: 0, stealPct: 0 };
  constructor(private readonly groups: Group[]) {}

  private ticks(g: Group): number {
    return g.pids().reduce((s, p) => s + cpuTicks(p), 0);
  }

  begin(): void {
    this.startAt = performance.now();
    this.startMachine = machineTicks();
    for (const g of this.groups) this.startTicks.set(g.name, this.ticks(g));
    this.peakKb.clear();
    const sample = (): void => {
      for (const g of this.groups) {
        const kb = g.pids().reduce((s, p) => s + rssKb(p), 0);
        this.peakKb.set(g.name, Math.max(this.peakKb.get(g.name) ?? 0, kb));
      }
    };
    sample();
    this.timer = setInterval(sample, 1000);
  }

  /** Per group: CPU as % of one core over the window, peak RSS in MiB. */
  end(): Record<string, { cpuPct: number; peakRssMiB: number }> {
    clearInterval(this.timer);
    const wallS = (performance.now() - this.startAt) / 1000;
    const m = machineTicks();
    const pct = (ticks: number): number => Math.round((ticks / TICKS_PER_S / wallS) * 100);
    this.machine = {
      busyPct: pct(m.busy - this.startMachine.busy),
      iowaitPct: pct(m.iowait - this.startMachine.iowait),
      stealPct: pct(m.steal - this.startMachine.steal),
    };
    const out: Record<string, { cpuPct: number; peakRssMiB: number }> = {};
    for (const g of this.groups) {
      const used = (this.ticks(g) - (this.startTicks.get(g.name) ?? 0)) / TICKS_PER_S;
      out[g.name] = {
        // Processes that exit in the window (PostgreSQL backends) take their ticks along: never below 0.
        cpuPct: Math.max(0, Math.round((used / wallS) * 100)),
        peakRssMiB: Math.round((this.peakKb.get(g.name) ?? 0) / 1024),
      };
    }
    return out;
  }
}

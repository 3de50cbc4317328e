import { DEFAULTS } from '../defaults.js';
import { formatDuration } from '../time/duration.js';

export interface ProgressSnapshot {
  sent: number;
  acked: number;
  buffered: number;
  reconnects: number;
  readingsAcked: number;
  dropped: number;
  online: number;
  hubs: number;
  /** 0…1 when the end is known (duration, simulated time), else undefined. */
  fraction?: number;
  /** Shown before the counters, e.g. the simulated clock. */
  label?: string;
}

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const n = (v: number) => v.toLocaleString('en-US');

/** The counters part of a progress line; `plain` gives key=value pairs for logs. */
export function formatProgress(
  s: ProgressSnapshot,
  ratePerS: number,
  elapsedMs: number,
  plain: boolean,
): string {
  if (plain) {
    return (
      `progress t=${Math.round(elapsedMs / 1000)}s ${s.label ? `${s.label} ` : ''}sent=${s.sent} acked=${s.acked} buffered=${s.buffered} ` +
      `rate=${Math.round(ratePerS)}/s reconnects=${s.reconnects} online=${s.online}/${s.hubs}${s.dropped ? ` dropped=${s.dropped}` : ''}`
    );
  }
  const bar = (f: number) => {
    const w = DEFAULTS.progressBarWidth;
    const full = Math.round(Math.min(1, Math.max(0, f)) * w);
    return `[${'#'.repeat(full)}${'.'.repeat(w - full)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
  };
  return (
    `${s.fraction !== undefined ? `${bar(s.fraction)} ` : ''}${formatDuration(elapsedMs)}${s.label ? ` ${s.label}` : ''}  ` +
    `sent ${n(s.sent)}  acked ${n(s.acked)}  buffered ${n(s.buffered)}  rate ${n(Math.round(ratePerS))} r/s  ` +
    `reconnects ${n(s.reconnects)}  online ${n(s.online)}/${n(s.hubs)}${s.dropped ? `  dropped ${n(s.dropped)}` : ''}`
  );
}

/**
 * The live progress line: redrawn in place with a bar on a terminal, printed
 * as a plain line every `progressPlainEveryMs` otherwise. `log` prints a
 * message above the line without garbling it. Rate = readings acknowledged
 * per second over the last refresh period.
 */
export class ProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  private lastLine = '';
  private readonly startedAt = Date.now();
  private prev = { at: Date.now(), readingsAcked: 0 };
  private rate = 0;
  private readonly tty: boolean;

  constructor(
    private readonly out: OutStream,
    private readonly snapshot: () => ProgressSnapshot,
    private readonly enabled = true,
  ) {
    this.tty = out.isTTY === true;
  }

  start(): void {
    if (!this.enabled) return;
    const every = this.tty ? DEFAULTS.progressTtyRefreshMs : DEFAULTS.progressPlainEveryMs;
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
  }

  /** Prints a message line (state changes), keeping the progress line below it on a terminal. */
  log(line: string): void {
    if (this.tty && this.lastLine) this.out.write('\r\x1b[2K');
    this.out.write(`${line}\n`);
    if (this.tty && this.lastLine) this.out.write(this.lastLine);
  }

  /** Achieved rate over the last period, readings/s. */
  get ratePerS(): number {
    return this.rate;
  }

  tick(): void {
    const s = this.snapshot();
    const now = Date.now();
    const dt = (now - this.prev.at) / 1000;
    if (dt > 0) this.rate = (s.readingsAcked - this.prev.readingsAcked) / dt;
    this.prev = { at: now, readingsAcked: s.readingsAcked };
    if (!this.enabled) return;
    const line = formatProgress(s, this.rate, now - this.startedAt, !this.tty);
    if (this.tty) {
      const cols = this.out.columns ?? 120;
      this.lastLine = line.length > cols - 1 ? line.slice(0, cols - 1) : line;
      this.out.write(`\r\x1b[2K${this.lastLine}`);
    } else {
      this.out.write(`${line}\n`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty && this.lastLine) this.out.write('\r\x1b[2K');
    this.lastLine = '';
  }
}

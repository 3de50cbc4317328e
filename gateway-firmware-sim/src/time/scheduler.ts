import type { Clock, EpochMs } from '@coldchain/domain';

/** A pending timer of a Scheduler; pass it back to `cancel`. */
export interface TimerHandle {
  readonly at: EpochMs;
}

/**
 * World time for the simulator: what hubs and tags experience. Two kinds:
 * RealTimeScheduler (wall clock, setTimeout: fleet mode, the demo fleet) and
 * VirtualScheduler (simulated time that the caller advances, as fast as the
 * network allows or at a chosen speed: scenarios and tests, where an hour of
 * offline buffering passes in a second). Network I/O always runs in real time.
 */
export interface Scheduler extends Clock {
  /** Runs `fn` once world time reaches `at` (epoch ms). */
  at(at: EpochMs, fn: () => void): TimerHandle;
  cancel(handle: TimerHandle | undefined): void;
}

interface RealHandle extends TimerHandle {
  timer: NodeJS.Timeout;
}

/** Wall-clock scheduler. Timers are plain setTimeout, cleared by `cancel`; none survive `cancelAll`. */
export class RealTimeScheduler implements Scheduler {
  private readonly live = new Set<RealHandle>();

  now(): EpochMs {
    return Date.now();
  }

  at(at: EpochMs, fn: () => void): TimerHandle {
    const handle = { at } as RealHandle;
    handle.timer = setTimeout(
      () => {
        this.live.delete(handle);
        fn();
      },
      Math.max(0, at - Date.now()),
    );
    this.live.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const h = handle as RealHandle;
    clearTimeout(h.timer);
    this.live.delete(h);
  }

  /** Clears every timer still pending (used by stop paths so no timer outlives its owner). */
  cancelAll(): void {
    for (const h of this.live) clearTimeout(h.timer);
    this.live.clear();
  }

  get pending(): number {
    return this.live.size;
  }
}

interface VirtualHandle extends TimerHandle {
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Simulated time, advanced only by `runUntil`. Events fire in time order
 * (ties in scheduling order). Between events the loop yields to the event
 * loop (setImmediate) so sockets, PUBACKs and disk writes make progress.
 *
 * `speed` is simulated ms per real ms: 1 is real time, 60 is a minute per
 * second, Infinity (the default) is as fast as the machine goes.
 */
export class VirtualScheduler implements Scheduler {
  private current: EpochMs;
  private readonly heap: VirtualHandle[] = [];
  private nextSeq = 0;

  constructor(
    startAt: EpochMs,
    private readonly options: { speed?: number; yieldEveryEvents?: number } = {},
  ) {
    this.current = startAt;
  }

  now(): EpochMs {
    return this.current;
  }

  at(at: EpochMs, fn: () => void): TimerHandle {
    const h: VirtualHandle = { at: Math.max(at, this.current), seq: this.nextSeq++, fn, cancelled: false };
    this.push(h);
    return h;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle) (handle as VirtualHandle).cancelled = true;
  }

  get pending(): number {
    return this.heap.filter((h) => !h.cancelled).length;
  }

  /**
   * Fires every event due up to `end` (inclusive), then leaves the clock at
   * `end`. `shouldStop` is checked between events (stop requested).
   */
  /**
   * `beforeEvent`, when given, runs before each event and may return a
   * promise to wait on (real time) before simulated time moves on: the
   * scenario runner uses it at "max" speed to let the broker acknowledge what
   * was sent, as it would within seconds in a real 30-second period.
   */
  async runUntil(
    end: EpochMs,
    signal?: AbortSignal,
    beforeEvent?: () => Promise<void> | undefined,
  ): Promise<void> {
    const speed = this.options.speed ?? Number.POSITIVE_INFINITY;
    const yieldEvery = this.options.yieldEveryEvents ?? 1;
    const realStart = Date.now();
    const simStart = this.current;
    let sinceYield = 0;
    const pace = async (simAt: EpochMs) => {
      if (!Number.isFinite(speed)) return;
      const wait = realStart + (simAt - simStart) / speed - Date.now();
      if (wait > 0) await sleep(wait, signal);
    };
    while (this.heap.length > 0 && this.heap[0].at <= end && !signal?.aborted) {
      const next = this.heap[0];
      if (next.cancelled) {
        this.pop();
        continue;
      }
      await pace(next.at);
      if (beforeEvent && next.at > this.current) {
        const wait = beforeEvent();
        if (wait) await wait;
      }
      if (signal?.aborted) break;
      const h = this.pop()!;
      if (h.cancelled) continue;
      this.current = h.at;
      h.fn();
      if (++sinceYield >= yieldEvery) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
      }
    }
    if (!signal?.aborted) {
      await pace(end);
      if (!signal?.aborted) this.current = Math.max(this.current, end);
    }
  }

  // Binary min-heap on (at, seq).
  private less(a: VirtualHandle, b: VirtualHandle): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(h: VirtualHandle): void {
    const a = this.heap;
    a.push(h);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }

  private pop(): VirtualHandle | undefined {
    const a = this.heap;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/** setTimeout as a promise that an AbortSignal cuts short (resolves, never rejects). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

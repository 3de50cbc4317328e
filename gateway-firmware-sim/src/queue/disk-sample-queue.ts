import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { DEFAULTS } from '../defaults.js';
import { QueueLockedError } from '../errors/queue-locked.error.js';
import type { AppendOutcome, QueueLimits, QueuedSample, Sample, SampleQueue } from './sample-queue.js';

/**
 * On-disk layout of a hub's store-and-forward queue (one directory per hub):
 *
 *   seg-<first id, 16 digits>.log   append-only segments of records
 *   state.json                      { removedThroughId, meta }, replaced atomically (write + rename)
 *   LOCK                            the owning process id
 *
 * A record is a 16-byte header then the payload (a Sample as UTF-8 JSON):
 *
 *   offset size
 *        0    4 payload length, uint32 LE
 *        4    4 CRC-32 (IEEE) of bytes 8…end (id and payload), uint32 LE
 *        8    8 sample id, uint64 LE (ids increase by exactly one per record)
 *       16    n payload
 *
 * Crash safety. A record is appended with one write(2); after a process
 * crash it is either whole in the page cache or absent. After a power loss
 * or a full disk the last record may be torn: on open, the last segment is
 * scanned, the first record whose length overruns the file or whose CRC fails
 * marks the tear, the file is truncated there and the loss is reported
 * (`recovery.tornTail`); every record before the tear is kept. A bad record
 * inside an older segment (bit rot) cannot be resynchronised past; the rest
 * of that segment is dropped and the number of samples lost is known exactly
 * from the ids (`recovery.corrupt`). `fsync: 'always'` makes each append
 * durable across power loss too, at the cost of a disk flush per sample.
 *
 * Removal. `state.json` holds the id through which samples are gone
 * (acknowledged by PUBACK, or evicted by `drop-oldest`); segments wholly
 * behind it are deleted. If the process dies between a PUBACK and the state
 * write, those samples are sent again after restart: at-least-once, like QoS
 * 1 itself; the platform de-duplicates by tag and counter.
 */
export interface DiskQueueOptions extends QueueLimits {
  dir: string;
  /** Start a new segment past this size, bytes. */
  segmentBytes?: number;
  /** 'always': fsync after every append and state write; 'never' (default): the OS flushes. */
  fsync?: 'always' | 'never';
}

export interface QueueRecovery {
  /** Samples found on disk and still to send. */
  samples: number;
  readings: number;
  segments: number;
  /** A torn last record, cut off. */
  tornTail?: { segment: string; offset: number; bytesDiscarded: number };
  /** Bad records inside older segments; what followed them in that segment is lost. */
  corrupt: Array<{ segment: string; offset: number; samplesLost: number }>;
  /** state.json unreadable: everything on disk is replayed (duplicates possible, nothing lost). */
  stateProblem?: string;
  /** A LOCK left by a process that no longer runs was taken over. */
  staleLockPid?: number;
}

/** Directories opened by this process (a LOCK with our own pid is only ours if listed here). */
const OPEN_DIRS = new Set<string>();

const HEADER_BYTES = 16;
/** A payload larger than this is not a record but garbage (a sample of 1000 readings is ~170 KB). */
const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
const SEGMENT_RE = /^seg-(\d{16})\.log$/;

interface Segment {
  path: string;
  name: string;
  firstId: number;
  lastId: number; // firstId − 1 while empty
  bytes: number;
}

export class DiskSampleQueue implements SampleQueue {
  /** What opening found on disk. */
  readonly recovery: QueueRecovery;
  /** Opaque hub state persisted with the ack pointer (e.g. the next message seq). */
  meta: { nextMessageSeq?: number } & Record<string, unknown> = {};
  private items: QueuedSample[] = [];
  private head = 0;
  private count = 0;
  private dropped = 0;
  private removedThroughId = 0;
  private nextId = 1;
  private segments: Segment[] = [];
  private fd: number | undefined;
  private closed = false;
  private readonly segmentBytes: number;
  private readonly statePath: string;
  private readonly lockPath: string;
  private readonly dirKey: string;

  constructor(private readonly opts: DiskQueueOptions) {
    this.segmentBytes = opts.segmentBytes ?? DEFAULTS.queueSegmentBytes;
    mkdirSync(opts.dir, { recursive: true });
    this.dirKey = resolve(opts.dir);
    this.statePath = join(opts.dir, 'state.json');
    this.lockPath = join(opts.dir, 'LOCK');
    const staleLockPid = this.lock();
    this.recovery = this.recover();
    if (staleLockPid !== undefined) this.recovery.staleLockPid = staleLockPid;
  }

  get length(): number {
    return this.items.length - this.head;
  }
  get readings(): number {
    return this.count;
  }
  get droppedReadings(): number {
    return this.dropped;
  }
  get ackedThroughId(): number {
    return this.removedThroughId;
  }
  get lastId(): number {
    return this.nextId - 1;
  }

  append(sample: Sample): AppendOutcome {
    this.assertOpen();
    const n = sample.readings.length;
    let droppedReadings = 0;
    if (this.count + n > this.opts.maxReadings) {
      if (this.opts.whenFull === 'keep-first' || n > this.opts.maxReadings) {
        this.dropped += n;
        return { droppedReadings: n };
      }
      let evictedThrough = this.removedThroughId;
      while (this.count + n > this.opts.maxReadings && this.length > 0) {
        const evicted = this.items[this.head++];
        this.count -= evicted.sample.readings.length;
        droppedReadings += evicted.sample.readings.length;
        evictedThrough = evicted.id;
      }
      this.dropped += droppedReadings;
      this.removeThrough(evictedThrough);
    }
    const id = this.nextId;
    this.write(id, sample);
    this.nextId++;
    this.items.push({ id, sample });
    this.count += n;
    return { id, droppedReadings };
  }

  read(afterId: number, maxReadings: number): QueuedSample[] {
    const out: QueuedSample[] = [];
    let total = 0;
    // Ids may jump where a corrupt segment was cut short: find the start by binary search, not arithmetic.
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].id <= afterId) lo = mid + 1;
      else hi = mid;
    }
    let i = lo;
    for (; i < this.items.length; i++) {
      const q = this.items[i];
      if (out.length > 0 && total + q.sample.readings.length > maxReadings) break;
      out.push(q);
      total += q.sample.readings.length;
    }
    return out;
  }

  ackThrough(id: number): void {
    this.assertOpen();
    if (id <= this.removedThroughId) return;
    while (this.head < this.items.length && this.items[this.head].id <= id) {
      this.count -= this.items[this.head].sample.readings.length;
      this.head++;
    }
    this.removeThrough(Math.min(id, this.lastId));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.lockPath, { force: true });
    OPEN_DIRS.delete(this.dirKey);
    this.items = [];
    this.head = 0;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`queue ${this.opts.dir} is closed`);
  }

  /** Persists the removal pointer, then deletes segments wholly behind it. */
  private removeThrough(id: number): void {
    this.removedThroughId = Math.max(this.removedThroughId, id);
    this.writeState();
    while (this.segments.length > 1 && this.segments[0].lastId <= this.removedThroughId) {
      rmSync(this.segments.shift()!.path, { force: true });
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private writeState(): void {
    const tmp = `${this.statePath}.tmp`;
    writeFileSync(tmp, JSON.stringify({ removedThroughId: this.removedThroughId, meta: this.meta }));
    if (this.opts.fsync === 'always') {
      const fd = openSync(tmp, 'r+');
      fsyncSync(fd);
      closeSync(fd);
    }
    renameSync(tmp, this.statePath);
  }

  private write(id: number, sample: Sample): void {
    const payload = Buffer.from(JSON.stringify(sample), 'utf8');
    const rec = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
    rec.writeUInt32LE(payload.length, 0);
    rec.writeBigUInt64LE(BigInt(id), 8);
    payload.copy(rec, HEADER_BYTES);
    rec.writeUInt32LE(crc32(rec.subarray(8)), 4);
    let seg = this.segments.at(-1);
    if (!seg || this.fd === undefined || (seg.bytes >= this.segmentBytes && seg.lastId >= seg.firstId)) {
      seg = this.openSegment(id);
    }
    writeSync(this.fd!, rec);
    if (this.opts.fsync === 'always') fsyncSync(this.fd!);
    seg.bytes += rec.length;
    seg.lastId = id;
  }

  private openSegment(firstId: number): Segment {
    if (this.fd !== undefined) closeSync(this.fd);
    const name = `seg-${String(firstId).padStart(16, '0')}.log`;
    const seg: Segment = { path: join(this.opts.dir, name), name, firstId, lastId: firstId - 1, bytes: 0 };
    this.fd = openSync(seg.path, 'a');
    this.segments.push(seg);
    return seg;
  }

  /** Takes the directory's LOCK; returns the pid of a stale lock it replaced. */
  private lock(): number | undefined {
    let stale: number | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(this.lockPath, String(process.pid), { flag: 'wx' });
        OPEN_DIRS.add(this.dirKey);
        return stale;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number(readFileSync(this.lockPath, 'utf8').trim());
        const ours = pid === process.pid;
        if (
          (ours && OPEN_DIRS.has(this.dirKey)) ||
          (!ours && Number.isInteger(pid) && pid > 0 && isAlive(pid))
        ) {
          throw new QueueLockedError(this.opts.dir, pid);
        }
        stale = pid;
        rmSync(this.lockPath, { force: true });
      }
    }
    throw new QueueLockedError(this.opts.dir, stale ?? -1);
  }

  private recover(): QueueRecovery {
    const report: QueueRecovery = { samples: 0, readings: 0, segments: 0, corrupt: [] };
    if (existsSync(this.statePath)) {
      try {
        const state = JSON.parse(readFileSync(this.statePath, 'utf8')) as {
          removedThroughId?: unknown;
          meta?: unknown;
        };
        if (
          typeof state.removedThroughId !== 'number' ||
          !Number.isInteger(state.removedThroughId) ||
          state.removedThroughId < 0
        ) {
          throw new Error('removedThroughId is not a non-negative integer');
        }
        this.removedThroughId = state.removedThroughId;
        if (state.meta && typeof state.meta === 'object') this.meta = state.meta as Record<string, unknown>;
      } catch (err) {
        report.stateProblem = `state.json unreadable (${(err as Error).message}); replaying every sample on disk`;
      }
    }
    const names = readdirSync(this.opts.dir)
      .filter((n) => SEGMENT_RE.test(n))
      .sort();
    let expectedId: number | undefined;
    names.forEach((name, index) => {
      const path = join(this.opts.dir, name);
      const firstId = Number(SEGMENT_RE.exec(name)![1]);
      const isLast = index === names.length - 1;
      const buf = readFileSync(path);
      const seg: Segment = { path, name, firstId, lastId: firstId - 1, bytes: 0 };
      if (expectedId !== undefined && firstId > expectedId) {
        // The previous segment ended early (corruption reported there): the id gap is the exact loss, less what was acknowledged anyway.
        const last = report.corrupt.at(-1);
        if (last) last.samplesLost += Math.max(0, firstId - Math.max(expectedId, this.removedThroughId + 1));
      }
      let off = 0;
      while (off < buf.length) {
        const bad = (): boolean => {
          if (off + HEADER_BYTES > buf.length) return true;
          const len = buf.readUInt32LE(off);
          if (len > MAX_PAYLOAD_BYTES || off + HEADER_BYTES + len > buf.length) return true;
          return crc32(buf.subarray(off + 8, off + HEADER_BYTES + len)) !== buf.readUInt32LE(off + 4);
        };
        if (bad()) {
          if (isLast) {
            report.tornTail = { segment: name, offset: off, bytesDiscarded: buf.length - off };
            const fd = openSync(path, 'r+');
            ftruncateSync(fd, off);
            fsyncSync(fd);
            closeSync(fd);
          } else {
            report.corrupt.push({ segment: name, offset: off, samplesLost: 0 });
          }
          break;
        }
        const len = buf.readUInt32LE(off);
        const id = Number(buf.readBigUInt64LE(off + 8));
        off += HEADER_BYTES + len;
        seg.lastId = id;
        if (id <= this.removedThroughId) continue;
        const sample = JSON.parse(buf.toString('utf8', off - len, off)) as Sample;
        this.items.push({ id, sample });
        this.count += sample.readings.length;
      }
      seg.bytes = off;
      expectedId = seg.lastId + 1;
      this.segments.push(seg);
    });
    this.nextId = Math.max(this.removedThroughId, this.segments.at(-1)?.lastId ?? 0) + 1;
    // Segments wholly behind the removal pointer, and empty ones, are done with.
    // Appends always go to a fresh segment (named by the next id).
    const keep: Segment[] = [];
    for (const seg of this.segments) {
      if (seg.lastId < seg.firstId || seg.lastId <= this.removedThroughId) rmSync(seg.path, { force: true });
      else keep.push(seg);
    }
    this.segments = keep;
    report.samples = this.length;
    report.readings = this.count;
    report.segments = this.segments.length;
    return report;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

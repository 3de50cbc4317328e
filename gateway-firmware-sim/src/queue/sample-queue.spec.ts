import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSampleQueue } from './disk-sample-queue.js';
import { MemorySampleQueue } from './memory-sample-queue.js';
import type { QueueLimits, Sample, SampleQueue } from './sample-queue.js';

/** A sample of `n` readings measured at `at`. */
const sample = (at: number, n = 2): Sample => ({
  at,
  readings: Array.from({ length: n }, (_, i) => ({
    tag: `AA:BB:CC:00:00:0${i}`,
    ts: at,
    seq: at,
    temperature: 4,
  })),
});

let dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sim-queue-'));
  dirs.push(d);
  return d;
};
const opened: SampleQueue[] = [];
afterEach(() => {
  for (const q of opened.splice(0)) q.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

const kinds: Array<[string, (limits: QueueLimits) => SampleQueue]> = [
  ['memory', (l) => new MemorySampleQueue(l)],
  ['disk', (l) => new DiskSampleQueue({ ...l, dir: tempDir(), segmentBytes: 512 })],
];

describe.each(kinds)('%s sample queue (shared contract)', (_kind, make) => {
  let q: SampleQueue;
  beforeEach(() => {
    q = make({ maxReadings: 10, whenFull: 'drop-oldest' });
    opened.push(q);
  });

  it('hands samples back in append order and keeps them until acknowledged', () => {
    for (let t = 1; t <= 3; t++) q.append(sample(t));
    expect(q.read(0, 100).map((s) => s.sample.at)).toEqual([1, 2, 3]);
    expect(q.read(0, 100).map((s) => s.sample.at)).toEqual([1, 2, 3]); // reading does not remove
    q.ackThrough(2);
    expect(q.read(0, 100).map((s) => s.sample.at)).toEqual([3]);
    expect(q).toMatchObject({ length: 1, readings: 2, ackedThroughId: 2, lastId: 3 });
  });

  it('reads after a cursor, bounded by readings but never empty while samples wait', () => {
    for (let t = 1; t <= 4; t++) q.append(sample(t));
    expect(q.read(1, 4).map((s) => s.id)).toEqual([2, 3]);
    expect(q.read(1, 1).map((s) => s.id)).toEqual([2]); // one sample even if larger than the bound
    expect(q.read(4, 100)).toEqual([]);
  });

  it('ignores acknowledgements of ids already gone (idempotent)', () => {
    q.append(sample(1));
    q.ackThrough(1);
    q.ackThrough(1);
    q.ackThrough(0);
    expect(q.length).toBe(0);
  });

  it('when full with drop-oldest, evicts the oldest samples and counts the readings lost', () => {
    for (let t = 1; t <= 5; t++) expect(q.append(sample(t)).droppedReadings).toBe(0);
    expect(q.append(sample(6))).toEqual({ id: 6, droppedReadings: 2 });
    expect(q.read(0, 100).map((s) => s.sample.at)).toEqual([2, 3, 4, 5, 6]);
    expect(q.droppedReadings).toBe(2);
  });

  it('when full with keep-first, refuses the new sample and counts it', () => {
    const kf = make({ maxReadings: 4, whenFull: 'keep-first' });
    opened.push(kf);
    kf.append(sample(1));
    kf.append(sample(2));
    expect(kf.append(sample(3))).toEqual({ droppedReadings: 2 });
    expect(kf.read(0, 100).map((s) => s.sample.at)).toEqual([1, 2]);
    expect(kf.droppedReadings).toBe(2);
  });
});

describe('disk sample queue across restarts and crashes', () => {
  const limits: QueueLimits = { maxReadings: 1_000_000, whenFull: 'drop-oldest' };

  it('survives a restart: unacknowledged samples come back in order with their ids, new ids continue', () => {
    const dir = tempDir();
    const a = new DiskSampleQueue({ ...limits, dir, segmentBytes: 300 });
    for (let t = 1; t <= 10; t++) a.append(sample(t));
    a.ackThrough(4);
    a.meta.nextMessageSeq = 42;
    a.ackThrough(5);
    a.close();
    const b = new DiskSampleQueue({ ...limits, dir, segmentBytes: 300 });
    opened.push(b);
    expect(b.recovery).toMatchObject({ samples: 5, readings: 10, corrupt: [] });
    expect(b.recovery.tornTail).toBeUndefined();
    expect(b.read(0, 1000).map((s) => [s.id, s.sample.at])).toEqual([6, 7, 8, 9, 10].map((t) => [t, t]));
    expect(b.meta.nextMessageSeq).toBe(42);
    expect(b.append(sample(11)).id).toBe(11);
  });

  it('deletes segments once every sample in them is acknowledged', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = tempDir();
    const q = new DiskSampleQueue({ ...limits, dir, segmentBytes: 200 });
    opened.push(q);
    for (let t = 1; t <= 20; t++) q.append(sample(t));
    const before = readdirSync(dir).filter((n) => n.startsWith('seg-')).length;
    q.ackThrough(20);
    const after = readdirSync(dir).filter((n) => n.startsWith('seg-')).length;
    expect(before).toBeGreaterThan(3);
    expect(after).toBe(1); // the segment being appended to stays
  });

  it('after a write torn at any byte, keeps every whole record before the tear, truncates and reports it', async () => {
    const { readdirSync, statSync, truncateSync, readFileSync } = await import('node:fs');
    // Build a reference queue once to learn where the last record starts.
    const ref = tempDir();
    const r = new DiskSampleQueue({ ...limits, dir: ref });
    for (let t = 1; t <= 4; t++) r.append(sample(t));
    r.close();
    const segName = readdirSync(ref).find((n) => n.startsWith('seg-'))!;
    const full = readFileSync(join(ref, segName));
    const lastRecordBytes = 16 + Buffer.byteLength(JSON.stringify(sample(4)));
    const lastStart = full.length - lastRecordBytes;
    // Cut the file at every byte inside the last record: a crash or power loss in the middle of its write.
    for (let cut = lastStart + 1; cut < full.length; cut++) {
      const dir = tempDir();
      const q = new DiskSampleQueue({ ...limits, dir });
      for (let t = 1; t <= 4; t++) q.append(sample(t));
      q.close();
      truncateSync(join(dir, segName), cut);
      const re = new DiskSampleQueue({ ...limits, dir });
      expect(re.read(0, 1000).map((s) => s.sample.at)).toEqual([1, 2, 3]);
      expect(re.recovery.tornTail).toEqual({
        segment: segName,
        offset: lastStart,
        bytesDiscarded: cut - lastStart,
      });
      expect(statSync(join(dir, segName)).size).toBe(lastStart);
      // The queue goes on: a new sample gets the torn one's id, and a second restart is clean.
      expect(re.append(sample(5)).id).toBe(4);
      re.close();
      const again = new DiskSampleQueue({ ...limits, dir });
      expect(again.read(0, 1000).map((s) => s.sample.at)).toEqual([1, 2, 3, 5]);
      expect(again.recovery.tornTail).toBeUndefined();
      again.close();
      rmSync(dir, { recursive: true, force: true });
      dirs = dirs.filter((d) => d !== dir);
    }
  });

  it('detects garbage after the last record (a pre-allocated or half-written block) by CRC', async () => {
    const { appendFileSync, readdirSync } = await import('node:fs');
    const dir = tempDir();
    const q = new DiskSampleQueue({ ...limits, dir });
    q.append(sample(1));
    q.append(sample(2));
    q.close();
    const seg = readdirSync(dir).find((n) => n.startsWith('seg-'))!;
    // A plausible header (small length) whose CRC does not match, then zeros.
    const junk = Buffer.alloc(64);
    junk.writeUInt32LE(20, 0);
    appendFileSync(join(dir, seg), junk);
    const re = new DiskSampleQueue({ ...limits, dir });
    opened.push(re);
    expect(re.read(0, 100).map((s) => s.sample.at)).toEqual([1, 2]);
    expect(re.recovery.tornTail?.bytesDiscarded).toBe(64);
  });

  it('reports a corrupt record inside an older segment with the exact number of samples lost, and keeps later segments', async () => {
    const { readdirSync, readFileSync, writeFileSync } = await import('node:fs');
    const dir = tempDir();
    const q = new DiskSampleQueue({ ...limits, dir, segmentBytes: 250 });
    for (let t = 1; t <= 12; t++) q.append(sample(t));
    q.close();
    const segs = readdirSync(dir)
      .filter((n) => n.startsWith('seg-'))
      .sort();
    expect(segs.length).toBeGreaterThanOrEqual(3);
    const first = join(dir, segs[0]);
    const bytes = readFileSync(first);
    const recordsInFirst = Number(segs[1].slice(4, 20)) - 1;
    bytes[bytes.length - 5] ^= 0xff; // flip a bit in the last record of the first segment
    writeFileSync(first, bytes);
    const re = new DiskSampleQueue({ ...limits, dir, segmentBytes: 250 });
    opened.push(re);
    expect(re.recovery.corrupt).toEqual([{ segment: segs[0], offset: expect.any(Number), samplesLost: 1 }]);
    const ats = re.read(0, 1000).map((s) => s.sample.at);
    expect(ats).toEqual([
      ...Array.from({ length: recordsInFirst - 1 }, (_, i) => i + 1),
      ...Array.from({ length: 12 - recordsInFirst }, (_, i) => recordsInFirst + 1 + i),
    ]);
    // Reads past the gap still work by id.
    expect(re.read(recordsInFirst - 1, 1000)[0].id).toBe(recordsInFirst + 1);
  });

  it('replays everything on disk when state.json is unreadable (duplicates possible, nothing lost), and says so', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir();
    const q = new DiskSampleQueue({ ...limits, dir });
    for (let t = 1; t <= 3; t++) q.append(sample(t));
    q.ackThrough(1);
    q.close();
    writeFileSync(join(dir, 'state.json'), '{"removedThroughId": "x"');
    const re = new DiskSampleQueue({ ...limits, dir });
    opened.push(re);
    expect(re.recovery.stateProblem).toMatch(/state\.json unreadable/);
    expect(re.read(0, 100).map((s) => s.sample.at)).toEqual([1, 2, 3]);
  });

  it('refuses a directory another live queue holds, and takes over the LOCK of a crashed process', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir();
    const a = new DiskSampleQueue({ ...limits, dir });
    expect(() => new DiskSampleQueue({ ...limits, dir })).toThrow(/in use by process/);
    a.close();
    writeFileSync(join(dir, 'LOCK'), '2147483646'); // no such process
    const b = new DiskSampleQueue({ ...limits, dir });
    opened.push(b);
    expect(b.recovery.staleLockPid).toBe(2147483646);
  });
});

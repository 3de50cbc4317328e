import type { AppendOutcome, QueueLimits, QueuedSample, Sample, SampleQueue } from './sample-queue.js';

/**
 * Store-and-forward in RAM: what a fleet of thousands of load-generating hubs
 * uses. Lost when the process ends (use DiskSampleQueue to survive a restart).
 */
export class MemorySampleQueue implements SampleQueue {
  private items: QueuedSample[] = [];
  private head = 0; // index of the first live item in `items` (amortised shift)
  private nextId = 1;
  private count = 0;
  private dropped = 0;
  private acked = 0;

  constructor(private readonly limits: QueueLimits) {}

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
    return this.acked;
  }
  get lastId(): number {
    return this.nextId - 1;
  }

  append(sample: Sample): AppendOutcome {
    const n = sample.readings.length;
    let droppedReadings = 0;
    if (this.count + n > this.limits.maxReadings) {
      if (this.limits.whenFull === 'keep-first' || n > this.limits.maxReadings) {
        this.dropped += n;
        return { droppedReadings: n };
      }
      while (this.count + n > this.limits.maxReadings && this.length > 0) {
        const evicted = this.items[this.head++];
        this.count -= evicted.sample.readings.length;
        droppedReadings += evicted.sample.readings.length;
      }
      this.dropped += droppedReadings;
      this.compact();
    }
    const id = this.nextId++;
    this.items.push({ id, sample });
    this.count += n;
    return { id, droppedReadings };
  }

  read(afterId: number, maxReadings: number): QueuedSample[] {
    const out: QueuedSample[] = [];
    let total = 0;
    // Ids are consecutive from the head except where evictions skipped ahead: find the start by id.
    let i = this.head;
    const firstId = this.items[i]?.id;
    if (firstId !== undefined && afterId >= firstId) i += afterId - firstId + 1;
    for (; i < this.items.length; i++) {
      const q = this.items[i];
      if (out.length > 0 && total + q.sample.readings.length > maxReadings) break;
      out.push(q);
      total += q.sample.readings.length;
    }
    return out;
  }

  ackThrough(id: number): void {
    while (this.head < this.items.length && this.items[this.head].id <= id) {
      this.count -= this.items[this.head].sample.readings.length;
      this.head++;
    }
    if (id > this.acked) this.acked = id;
    this.compact();
  }

  close(): void {
    this.items = [];
    this.head = 0;
    this.count = 0;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

import type { TopicSpec } from '@coldchain/contract';
import { EngineUnavailableError, ShuttingDownError, isRetriable } from '@coldchain/errors';
import type {
  BatchHandler,
  BusPort,
  BusCloseOutcome,
  BusHealth,
  BusRecord,
  ConsumedBatch,
  SubscribeOptions,
  Subscription,
} from './bus.port.js';
import { within } from './bus.port.js';
import type { CompactedTableStore } from './compacted-table.store.js';
import { leadingBatch } from './leading-batch.js';

/** Tunables of the in-process bus, units in the names. */
export const IN_PROCESS_BUS_DEFAULTS = {
  maxBatchRecords: 5000,
  /** First retry delay after a handler failure, doubled up to `retryMaxMs`. */
  retryInitialMs: 100,
  retryMaxMs: 5000,
};

/** One `publish` call: its records and the promise its caller awaits. */
interface Chunk {
  keys: string[];
  values: unknown[];
  /** Groups that have yet to process this chunk. */
  pendingGroups: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

class GroupQueue {
  readonly chunks: Chunk[] = [];
  running = false;
  closed = false;
  idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(
    readonly topic: string,
    readonly group: string,
    readonly handler: BatchHandler<unknown>,
    readonly maxBatchRecords: number,
    readonly onError: (err: unknown, attempt: number) => void,
    readonly onDone: (chunk: Chunk) => void,
  ) {}

  push(chunk: Chunk): void {
    this.chunks.push(chunk);
    if (!this.running) {
      this.running = true;
      this.idle = new Promise((resolve) => (this.markIdle = resolve));
      // Defer one macrotask so that concurrent publishes coalesce into one batch.
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    let attempt = 0;
    while (this.chunks.length > 0 && !this.closed) {
      const { items: n } = leadingBatch(this.chunks, (c) => c.values.length, this.maxBatchRecords);
      const taken = this.chunks.slice(0, n);
      const values = n === 1 ? taken[0].values : taken.flatMap((c) => c.values);
      const keys = n === 1 ? taken[0].keys : taken.flatMap((c) => c.keys);
      try {
        await this.handler({ topic: this.topic, partition: 0, values, keys });
        attempt = 0;
        this.chunks.splice(0, n);
        for (const chunk of taken) this.onDone(chunk);
      } catch (err) {
        attempt++;
        this.onError(err, attempt);
        if (!isRetriable(err) && attempt >= 3) {
          // A programming error that keeps failing: fail the publishers instead of spinning.
          this.chunks.splice(0, n);
          for (const chunk of taken) chunk.reject(err as Error);
          continue;
        }
        const delay = Math.min(
          IN_PROCESS_BUS_DEFAULTS.retryInitialMs * 2 ** (attempt - 1),
          IN_PROCESS_BUS_DEFAULTS.retryMaxMs,
        );
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    this.running = false;
    this.markIdle();
  }
}

/**
 * The embedded default's bus: consumer groups fed from in-memory queues.
 *
 * There is no log to replay, so durability comes from the consumers: `publish`
 * resolves once every group has processed the records (for ingest, once the
 * store committed them). An MQTT PUBACK that waits on it therefore means
 * "stored", and a crash loses nothing that was acknowledged. Records published
 * to a topic no group has subscribed to yet wait for the first group.
 * One partition per topic (0): publish order is delivery order.
 *
 * Compacted topics (changelogs) keep the latest value per key for
 * `readToEnd`: in memory, and, given a {@link CompactedTableStore} (the
 * embedded default uses SQLite under DATA_DIR), also durably, so the state
 * they hold survives a restart of the process.
 */
export class InProcessBus implements BusPort {
  readonly kind = 'inprocess' as const;
  private readonly groups = new Map<string, GroupQueue[]>();
  /** Records of topics without any group yet. */
  private readonly waiting = new Map<string, Chunk[]>();
  /** Compacted topics: latest value per key (loaded from the store on first use). */
  private readonly tables = new Map<string, Map<string, unknown>>();
  private closing = false;

  constructor(
    private readonly log: { warn(message: string): void } = { warn: (m) => console.warn(m) },
    private readonly options: { tables?: CompactedTableStore } = {},
  ) {}

  private tableOf(topic: TopicSpec<unknown>): Map<string, unknown> {
    let table = this.tables.get(topic.name);
    if (!table) {
      table = new Map<string, unknown>();
      for (const [key, bytes] of this.options.tables?.load(topic.name) ?? [])
        table.set(key, topic.decode(bytes));
      this.tables.set(topic.name, table);
    }
    return table;
  }

  async start(): Promise<void> {}

  isHealthy(): boolean {
    return !this.closing;
  }

  health(): BusHealth {
    return this.closing ? { state: 'down', reason: 'closing' } : { state: 'up' };
  }

  publish<T>(topic: TopicSpec<T>, records: readonly BusRecord<T>[]): Promise<void> {
    // While closing, a changelog (compacted, a table write) is still taken: the queues being drained
    // write their state after each batch (`commit`), and refusing it would retry them forever.
    if (this.closing && !(topic.compacted && (this.groups.get(topic.name)?.length ?? 0) === 0))
      return Promise.reject(new ShuttingDownError('in-process bus'));
    if (records.length === 0) return Promise.resolve();
    if (topic.compacted) {
      const table = this.tableOf(topic);
      if (this.options.tables) {
        try {
          this.options.tables.write(
            topic.name,
            records.map((r) => [r.key, r.value === null ? null : topic.encode(r.value)] as const),
          );
        } catch (err) {
          return Promise.reject(new EngineUnavailableError('bus table store', String(err), err));
        }
      }
      for (const r of records) {
        if (r.value === null) table.delete(r.key);
        else table.set(r.key, r.value);
      }
      // A changelog is read with readToEnd, usually by no group: do not hold its records back.
      if ((this.groups.get(topic.name)?.length ?? 0) === 0) return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const keys = new Array<string>(records.length);
      const values = new Array<unknown>(records.length);
      for (let i = 0; i < records.length; i++) {
        keys[i] = records[i].key;
        values[i] = records[i].value;
      }
      const queues = this.groups.get(topic.name);
      const chunk: Chunk = { keys, values, pendingGroups: queues?.length ?? 0, resolve, reject };
      if (!queues || queues.length === 0) {
        const list = this.waiting.get(topic.name) ?? [];
        list.push(chunk);
        this.waiting.set(topic.name, list);
        return;
      }
      for (const q of queues) q.push(chunk);
    });
  }

  async subscribe<T>(
    topic: TopicSpec<T>,
    options: SubscribeOptions,
    handler: BatchHandler<T>,
  ): Promise<Subscription> {
    const queues = this.groups.get(topic.name) ?? [];
    if (queues.some((q) => q.group === options.group)) {
      throw new Error(`group ${options.group} already consumes ${topic.name} in this process`);
    }
    // No log to replay from: the checkpoint of a `commit` subscriber follows every batch.
    const commit = options.commit;
    const handle: BatchHandler<T> = commit
      ? async (batch) => {
          await handler(batch);
          await commit.beforeCommit([batch.partition]);
        }
      : handler;
    const queue = new GroupQueue(
      topic.name,
      options.group,
      handle as BatchHandler<unknown>,
      options.maxBatchRecords ?? IN_PROCESS_BUS_DEFAULTS.maxBatchRecords,
      (err, attempt) =>
        this.log.warn(
          `bus: ${options.group} failed on ${topic.name} (attempt ${attempt}), retrying: ${String(err)}`,
        ),
      (chunk) => {
        if (--chunk.pendingGroups === 0) chunk.resolve();
      },
    );
    queues.push(queue);
    this.groups.set(topic.name, queues);
    await options.onAssignment?.({ partitions: [0], added: [0], revoked: [] });
    const waiting = this.waiting.get(topic.name);
    if (waiting) {
      this.waiting.delete(topic.name);
      for (const chunk of waiting) {
        chunk.pendingGroups = 1;
        queue.push(chunk);
      }
    }
    return {
      close: async () => {
        await queue.idle;
        queue.closed = true;
        const list = this.groups.get(topic.name) ?? [];
        this.groups.set(
          topic.name,
          list.filter((q) => q !== queue),
        );
      },
    };
  }

  async readToEnd<T>(
    topic: TopicSpec<T>,
    partitions: readonly number[],
    onBatch: (batch: ConsumedBatch<T | null>) => void,
  ): Promise<void> {
    if (!partitions.includes(0)) return;
    const table = this.tableOf(topic);
    if (table.size === 0) return;
    onBatch({ topic: topic.name, partition: 0, keys: [...table.keys()], values: [...table.values()] as T[] });
  }

  /** Refuses new records, then waits until every group has processed what it accepted. */
  /**
   * Drains the queues (their publishers' promises settle as the consumers
   * finish). Past `budgetMs`, the chunks not handled yet are refused
   * (retriable ShuttingDownError): their publishers never acknowledged them
   * upstream, so the hubs send them again.
   */
  async close(options: { budgetMs?: number } = {}): Promise<BusCloseOutcome> {
    this.closing = true;
    for (const [, chunks] of this.waiting)
      for (const c of chunks) c.reject(new ShuttingDownError('in-process bus'));
    this.waiting.clear();
    const drain = async (): Promise<void> => {
      for (;;) {
        const busy = [...this.groups.values()].flat().filter((q) => q.running);
        if (busy.length === 0) break;
        await Promise.all(busy.map((q) => q.idle));
      }
    };
    const drained =
      options.budgetMs === undefined ? (await drain(), true) : await within(drain(), options.budgetMs);
    for (const q of [...this.groups.values()].flat()) {
      q.closed = true;
      for (const c of q.chunks.splice(0)) c.reject(new ShuttingDownError('in-process bus'));
    }
    this.options.tables?.close();
    return drained ? { drained } : { drained, detail: `queues not drained within ${options.budgetMs} ms` };
  }
}

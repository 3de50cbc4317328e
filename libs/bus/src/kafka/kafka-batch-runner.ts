import type { EachBatchPayload } from 'kafkajs';
import type { TopicSpec } from '@coldchain/contract';
import { HandlerFailedError, isRetriable } from '@coldchain/errors';
import type { BatchHandler } from '../bus.port.js';
import type { CheckpointCommitter } from '../checkpoint-committer.js';
import type { AssignmentGate } from '../partition-assignment.js';
import { KAFKA_BUS_DEFAULTS } from './kafka-bus.defaults.js';
import { sleep, type KafkaBusLog } from './kafka-client.js';

/** What one subscription's batches are handled with. */
export interface BatchRun<T> {
  topic: TopicSpec<T>;
  /** Logical group name, for the log. */
  group: string;
  handler: BatchHandler<T>;
  /** Records handed to the handler at once, at most. */
  maxBatch: number;
  /** Batches wait for the assignment callbacks enqueued before them. */
  gate: AssignmentGate;
  /** Set for checkpointed subscriptions: offsets are committed at the partition's next checkpoint. */
  committer?: CheckpointCommitter;
  log: KafkaBusLog;
  /** Told after every handled chunk (the consumer supervisor's count of crashes in a row restarts). */
  onHandled?: () => void;
}

/**
 * Hands one fetched batch (kafkajs `eachBatch`) to the handler in chunks of at
 * most `maxBatch` records; a chunk's offsets are resolved, and so committed,
 * only once the handler resolved. A failed chunk is retried in place with
 * backoff, heartbeating so that the group does not evict a consumer that
 * waits for a store; if the partition moved meanwhile (rebalance), the new
 * owner resumes from the last commit. A record that cannot be decoded is
 * skipped with an error log: no retry can fix it.
 *
 * Only a retriable failure (isRetriable) is retried in place without end. A
 * non-retriable one (a bug in the handler, content it cannot take) is tried
 * `KAFKA_BUS_DEFAULTS.nonRetriableAttempts` times, then thrown to kafkajs as
 * a {@link HandlerFailedError}: the consumer crashes without committing past
 * the chunk, so nothing is lost or skipped, and the consumer supervisor
 * reports it on /health and restarts it a bounded number of times
 * (KafkaConsumerSupervisor).
 */
export async function runBatch<T>(run: BatchRun<T>, payload: EachBatchPayload): Promise<void> {
  const { topic, group, handler, maxBatch, gate, committer, log } = run;
  const { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale } = payload;
  const { messages, partition } = batch;
  // A rejoin while this batch is handled revokes (or reloads) the partition: then what it handles is
  // not ours to commit (see CheckpointCommitter.forget).
  const generation = committer?.generationOf(partition);
  // Wait for the assignment callbacks (state restore), heartbeating so that the group keeps this member.
  let ready = false;
  const settled = gate.ready().then(() => (ready = true));
  while (!ready) {
    await Promise.race([settled, sleep(1000)]);
    if (!ready) await heartbeat().catch(() => undefined);
    if (!isRunning() || isStale()) return;
  }
  // Chunks of at most `maxBatch` records (a bundle's records count one by one; a bundle is never split,
  // since its Kafka offset is committed whole).
  for (let next = 0; next < messages.length;) {
    const first = messages[next].offset;
    const values: T[] = [];
    const keys: string[] = [];
    while (next < messages.length && values.length < maxBatch) {
      const m = messages[next++];
      try {
        const bundle = topic.bundle?.decode(m.value!);
        if (bundle !== undefined) {
          for (let i = 0; i < bundle.values.length; i++) {
            values.push(bundle.values[i]);
            keys.push(bundle.keys[i]);
          }
        } else {
          values.push(topic.decode(m.value!));
          keys.push(m.key?.toString() ?? '');
        }
      } catch (err) {
        log.error(`bus: skipping undecodable record ${topic.name}/${partition}@${m.offset}: ${String(err)}`);
      }
    }
    const last = messages[next - 1].offset;
    for (let attempt = 1; ; attempt++) {
      if (!isRunning() || isStale()) return;
      try {
        if (values.length > 0) await handler({ topic: topic.name, partition, values, keys });
        break;
      } catch (err) {
        if (!isRetriable(err) && attempt >= KAFKA_BUS_DEFAULTS.nonRetriableAttempts) {
          // Retrying in place would block the partition forever, silently: fail the consumer instead.
          log.error(`bus: ${group} keeps failing on ${topic.name}/${partition}@${first}: ${String(err)}`);
          throw new HandlerFailedError(`${group} on ${topic.name}/${partition}@${first}`, attempt, err);
        }
        log.warn(
          `bus: ${group} failed on ${topic.name}/${partition} (attempt ${attempt}), retrying: ${String(err)}`,
        );
        const delay = Math.min(
          KAFKA_BUS_DEFAULTS.retryInitialMs * 2 ** (attempt - 1),
          KAFKA_BUS_DEFAULTS.retryMaxMs,
        );
        for (let waited = 0; waited < delay; waited += 1000) {
          await sleep(Math.min(1000, delay - waited));
          await heartbeat().catch(() => undefined);
        }
      }
    }
    // Resolved = fetched past; committed at once, or at the next checkpoint.
    resolveOffset(last);
    if (committer) committer.handledUpTo(partition, last, generation);
    else await commitOffsetsIfNecessary();
    run.onHandled?.();
    await heartbeat();
  }
}

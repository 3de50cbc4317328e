import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { InvalidInputError } from '@coldchain/errors';
import type { TopicSpec } from '@coldchain/contract';
import type { BusPort, BusRecord } from '../bus.port.js';

/**
 * A Nest `ClientProxy` that publishes to the bus: `emit(topic, record)` or
 * `emit(topic, [records])`, where `topic` is a {@link TopicSpec} or the name
 * of one given in `topics`, and a record is `{ key, value }` (a
 * {@link BusRecord}: the key partitions and orders). The returned Observable
 * completes once `publish` resolved, that is once the records are safe
 * (Kafka: acknowledged by every in-sync replica; in-process: handled by every
 * consumer group), and errors as `publish` rejects. Like every Nest client's,
 * `emit` sends at once, whether the Observable is subscribed to or not.
 *
 * Events only: `send` (request-response) fails, the bus has no replies.
 * `connect` and `close` do nothing: the bus is started and closed by its
 * module, which may share it with other publishers.
 */
export class BusClient extends ClientProxy {
  private readonly topics = new Map<string, TopicSpec<unknown>>();

  constructor(
    private readonly bus: BusPort,
    options: { topics?: readonly TopicSpec<unknown>[] } = {},
  ) {
    super();
    for (const t of options.topics ?? []) this.topics.set(t.name, t);
  }

  async connect(): Promise<void> {}

  async close(): Promise<void> {}

  unwrap<T>(): T {
    return this.bus as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({
      err: new InvalidInputError(
        `bus client: no request-response on the bus (pattern ${String(packet.pattern)}); use emit`,
      ),
      isDisposed: true,
    });
    return () => undefined;
  }

  protected async dispatchEvent<T = undefined>(packet: ReadPacket): Promise<T> {
    const topic = this.topicOf(packet.pattern);
    const records = (Array.isArray(packet.data) ? packet.data : [packet.data]) as BusRecord<unknown>[];
    for (const r of records)
      if (typeof r?.key !== 'string' || !('value' in r))
        throw new InvalidInputError(`bus client: ${topic.name} takes { key, value } records`);
    await this.bus.publish(topic, records);
    return undefined as T;
  }

  private topicOf(pattern: unknown): TopicSpec<unknown> {
    if (typeof pattern === 'string') {
      const topic = this.topics.get(pattern);
      if (!topic) throw new InvalidInputError(`bus client: unknown topic ${pattern} (give it in topics)`);
      return topic;
    }
    const spec = pattern as Partial<TopicSpec<unknown>> | null;
    if (typeof spec?.name === 'string' && typeof spec.encode === 'function')
      return spec as TopicSpec<unknown>;
    throw new InvalidInputError('bus client: the pattern must be a topic or a topic name');
  }
}

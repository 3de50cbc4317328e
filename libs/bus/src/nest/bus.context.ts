import { BaseRpcContext } from '@nestjs/microservices';

/** What an event handler learns about the record it handles: `[topic, partition, key]`. */
export type BusContextArgs = [topic: string, partition: number, key: string | undefined];

/**
 * The context a bus event handler receives next to its payload (`@Ctx()`).
 * `key` is the record's partitioning key, or `undefined` when the handler
 * takes whole batches (the batch carries its keys).
 */
export class BusContext extends BaseRpcContext<BusContextArgs> {
  getTopic(): string {
    return this.args[0];
  }

  getPartition(): number {
    return this.args[1];
  }

  getKey(): string | undefined {
    return this.args[2];
  }
}

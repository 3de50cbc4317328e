import { boundDeadLetter, type DeadLetter, type HubStatusEvent } from '@coldchain/contract';
import type { ConsumedBatch } from '@coldchain/bus';
import type { MetadataStorePort } from '@coldchain/metadata-store';

/**
 * Consumes `coldchain.telemetry.dlq.v1` into the dead-letter store (one
 * transaction per batch). Every letter is bounded again here (prefix, texts,
 * rejections; the whole payload of an older gateway's letter is hashed and
 * cut), so no producer on the topic can grow the store by more than a few
 * KiB per letter.
 */
export class DeadLetterRecorder {
  constructor(private readonly store: Pick<MetadataStorePort, 'recordDeadLetters'>) {}

  async handleBatch(batch: ConsumedBatch<DeadLetter>): Promise<void> {
    await this.store.recordDeadLetters(batch.values.map((letter) => boundDeadLetter(letter)));
  }
}

/** Consumes `coldchain.hub-status.v1` into the hubs' last known status. */
export class HubStatusRecorder {
  constructor(private readonly store: MetadataStorePort) {}

  async handleBatch(batch: ConsumedBatch<HubStatusEvent>): Promise<void> {
    for (const e of batch.values) await this.store.setHubStatus(e.hub, e.status, e.at);
  }
}

import { boundDeadLetter, type DeadLetter, type HubStatusEvent } from '@coldchain/contract';
import type { ConsumedBatch } from '@coldchain/bus';
import type { DeadLetterRepository, HubStatusRepository } from '@coldchain/metadata-store';

/**
 * Consumes `coldchain.telemetry.dlq.v1` into the dead-letter store (one
 * transaction per batch). Every letter is bounded again here (prefix, texts,
 * rejections; the whole payload of an older gateway's letter is hashed and
 * cut), so no producer on the topic can grow the store by more than a few
 * KiB per letter.
 */
export class DeadLetterRecorder {
  constructor(private readonly deadLetters: Pick<DeadLetterRepository, 'recordDeadLetters'>) {}

  async handleBatch(batch: ConsumedBatch<DeadLetter>): Promise<void> {
    await this.deadLetters.recordDeadLetters(batch.values.map((letter) => boundDeadLetter(letter)));
  }
}

/** Consumes `coldchain.hub-status.v1` into the hubs' last known status. */
export class HubStatusRecorder {
  constructor(private readonly hubStatus: Pick<HubStatusRepository, 'setHubStatus'>) {}

  async handleBatch(batch: ConsumedBatch<HubStatusEvent>): Promise<void> {
    for (const e of batch.values) await this.hubStatus.setHubStatus(e.hub, e.status, e.at);
  }
}

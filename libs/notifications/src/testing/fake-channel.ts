// Test double for NotificationChannel, for this lib's unit specs only.
import { DeliveryError } from '../channels/delivery.error.js';
import type {
  ChannelKind,
  DeliveryReceipt,
  NotificationChannel,
  OutgoingNotification,
} from '../channels/notification-channel.js';

/** What the next send does: accept, throw a DeliveryError, throw anything, or wait on a gate. */
export type Step =
  | 'ok'
  | { retriable: boolean; providerCode?: string | number }
  | { throws: unknown }
  | { gate: Promise<void> };

export class FakeChannel implements NotificationChannel {
  readonly provider = 'twilio' as const;
  readonly sent: OutgoingNotification[] = [];
  readonly calls: OutgoingNotification[] = [];
  private steps: Step[] = [];

  constructor(readonly kind: ChannelKind) {}

  /** Steps consumed one per send; when exhausted, sends succeed. */
  script(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  async send(message: OutgoingNotification): Promise<DeliveryReceipt> {
    this.calls.push(message);
    const step = this.steps.shift() ?? 'ok';
    if (typeof step === 'object' && 'gate' in step) await step.gate;
    else if (typeof step === 'object' && 'throws' in step) throw step.throws;
    else if (typeof step === 'object')
      throw new DeliveryError('scripted failure', {
        channel: this.kind,
        provider: 'twilio',
        retriable: step.retriable,
        ...(step.providerCode !== undefined ? { providerCode: step.providerCode } : {}),
      });
    this.sent.push(message);
    return {
      channel: this.kind,
      provider: 'twilio',
      providerMessageId: `${this.kind}-${this.sent.length}`,
      status: 'queued',
    };
  }

  async close(): Promise<void> {}
}

export function channelMap(...channels: FakeChannel[]): {
  get(kind: ChannelKind): NotificationChannel | undefined;
} {
  const m = new Map<ChannelKind, NotificationChannel>(channels.map((c) => [c.kind, c]));
  return { get: (k) => m.get(k) };
}

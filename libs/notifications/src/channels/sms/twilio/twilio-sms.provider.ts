import type {
  DeliveryReceipt,
  NotificationChannel,
  OutgoingNotification,
} from '../../notification-channel.js';
import type { TwilioClient, TwilioConfig } from '../../twilio/twilio-client.js';
import { toTwilioDeliveryError } from '../../twilio/twilio-error.mapper.js';

/**
 * SMS through Twilio's Messages API. Resolves on HTTP 201 with the message
 * SID and Twilio's initial status (`queued` or `accepted`); delivery is
 * reported later to `callbacks.statusUrl` (sent, delivered, undelivered,
 * failed).
 */
export class TwilioSmsChannel implements NotificationChannel {
  readonly kind = 'sms' as const;
  readonly provider = 'twilio' as const;

  constructor(
    private readonly client: TwilioClient,
    private readonly config: Pick<TwilioConfig, 'from'>,
  ) {}

  async send(message: OutgoingNotification): Promise<DeliveryReceipt> {
    const sender = this.config.from.startsWith('MG')
      ? { messagingServiceSid: this.config.from }
      : { from: this.config.from };
    try {
      const created = await this.client.messages.create({
        to: message.recipient.address,
        ...sender,
        body: message.rendered.sms.text,
        ...(message.callbacks?.statusUrl ? { statusCallback: message.callbacks.statusUrl } : {}),
      });
      return { channel: 'sms', provider: 'twilio', providerMessageId: created.sid, status: created.status };
    } catch (err) {
      throw toTwilioDeliveryError(err, 'sms');
    }
  }

  /** The twilio client keeps no resources that need releasing beyond its keep-alive agent's idle sockets. */
  async close(): Promise<void> {}
}

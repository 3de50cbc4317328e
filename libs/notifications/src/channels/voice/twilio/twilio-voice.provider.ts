import twilio from 'twilio';
import { DEFAULTS } from '../../../notifications.defaults.js';
import { xmlText } from '../../../render/format.js';
import type {
  DeliveryReceipt,
  NotificationChannel,
  OutgoingNotification,
} from '../../notification-channel.js';
import type { TwilioClient, TwilioConfig } from '../../twilio/twilio-client.js';
import { toTwilioDeliveryError } from '../../twilio/twilio-error.mapper.js';

/**
 * The TwiML of an alert call: the script (text, escaped by twilio's XML
 * builder) is spoken inside a one-digit
 * `<Gather>` whose action receives `Digits` ("1" acknowledges, see
 * `parseVoiceDigits`). Without a gather URL the call only speaks.
 */
export function alertCallTwiml(
  script: string,
  ackDigit: string,
  gatherActionUrl: string | undefined,
): string {
  const response = new twilio.twiml.VoiceResponse();
  const loop = DEFAULTS.twilio.voiceRepeatCount;
  // Names in the script are the operators' own text: anything XML cannot carry is dropped.
  const spoken = xmlText(script);
  if (gatherActionUrl) {
    const gather = response.gather({
      numDigits: 1,
      action: gatherActionUrl,
      method: 'POST',
      timeout: DEFAULTS.twilio.gatherTimeoutSeconds,
    });
    gather.say({ loop }, spoken);
    response.say(`No key was pressed. The alert is not acknowledged. Goodbye.`);
  } else {
    response.say({ loop }, spoken.replace(new RegExp(`Press ${ackDigit} to acknowledge this alert\\.`), ''));
  }
  return response.toString();
}

/**
 * Voice calls through Twilio's Calls API with inline TwiML (`<Say>` inside
 * `<Gather numDigits="1">`). Resolves on HTTP 201 with the call SID; progress
 * (initiated, ringing, answered, completed) is reported to
 * `callbacks.statusUrl`.
 */
export class TwilioVoiceChannel implements NotificationChannel {
  readonly kind = 'voice' as const;
  readonly provider = 'twilio' as const;

  constructor(
    private readonly client: TwilioClient,
    private readonly config: Pick<TwilioConfig, 'from'>,
  ) {}

  async send(message: OutgoingNotification): Promise<DeliveryReceipt> {
    const { voice } = message.rendered;
    const statusUrl = message.callbacks?.statusUrl;
    try {
      const created = await this.client.calls.create({
        to: message.recipient.address,
        from: this.config.from,
        twiml: alertCallTwiml(voice.script, voice.ackDigit, message.callbacks?.voiceGatherUrl),
        ...(statusUrl
          ? {
              statusCallback: statusUrl,
              statusCallbackMethod: 'POST',
              statusCallbackEvent: [...DEFAULTS.twilio.voiceStatusEvents],
            }
          : {}),
      });
      return { channel: 'voice', provider: 'twilio', providerMessageId: created.sid, status: created.status };
    } catch (err) {
      throw toTwilioDeliveryError(err, 'voice');
    }
  }

  async close(): Promise<void> {}
}

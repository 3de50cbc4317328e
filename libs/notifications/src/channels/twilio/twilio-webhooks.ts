import twilio from 'twilio';
import type { EpochMs } from '@coldchain/domain';
import type { ProviderStatus, ProviderStatusUpdate } from '@coldchain/metadata-store';
import { DEFAULTS } from '../../notifications.defaults.js';
import { xmlText } from '../../render/format.js';

/**
 * Receiving side of Twilio's webhooks (status callbacks, inbound SMS,
 * `<Gather>` digits). Framework-free: the notifier's HTTP edge passes the
 * parsed form body, the `X-Twilio-Signature` header and the URL as Twilio
 * called it.
 */

/** Form fields of a Twilio webhook: single values (Twilio never repeats keys in callbacks). */
export type TwilioParams = Record<string, string>;

/**
 * Checks X-Twilio-Signature with the twilio library's own `validateRequest`
 * (HMAC-SHA1 over the full URL followed by the sorted POST fields). `url`
 * must be exactly the URL Twilio was given, query string included, as seen
 * from outside (PUBLIC_BASE_URL + path), not the proxy-internal one.
 */
export function verifyTwilioSignature(input: {
  authToken: string;
  url: string;
  params: TwilioParams;
  signature: string | undefined;
}): boolean {
  if (!input.signature) return false;
  return twilio.validateRequest(input.authToken, input.signature, input.url, input.params);
}

const MESSAGE_STATUS: Record<string, ProviderStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

const CALL_STATUS: Record<string, ProviderStatus> = {
  queued: 'queued',
  initiated: 'queued',
  ringing: 'sent',
  'in-progress': 'delivered',
  answered: 'delivered',
  // Twilio reports `completed` only for answered calls; unanswered ones end busy / no-answer / failed.
  completed: 'delivered',
  busy: 'undelivered',
  'no-answer': 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * Reads a Messages or Calls status callback. The idempotency key is taken
 * from the `d` query parameter of the callback URL the delivery service gave
 * Twilio. Undefined when the body is neither.
 */
export function parseTwilioStatusCallback(
  params: TwilioParams,
  callbackUrl: string,
  at: EpochMs,
): (ProviderStatusUpdate & { channel: 'sms' | 'voice' }) | undefined {
  const key = new URL(callbackUrl).searchParams.get(DEFAULTS.twilio.callbackKeyParam) ?? undefined;
  const common = { ...(key ? { idempotencyKey: key } : {}), at };
  if (params.CallSid && params.CallStatus) {
    const status = CALL_STATUS[params.CallStatus];
    if (!status) return undefined;
    return { ...common, channel: 'voice', providerMessageId: params.CallSid, status, raw: params.CallStatus };
  }
  const raw = params.MessageStatus ?? params.SmsStatus;
  const sid = params.MessageSid ?? params.SmsSid;
  if (sid && raw) {
    const status = MESSAGE_STATUS[raw];
    if (!status) return undefined;
    return {
      ...common,
      channel: 'sms',
      providerMessageId: sid,
      status,
      raw,
      ...(params.ErrorCode ? { errorCode: params.ErrorCode } : {}),
    };
  }
  return undefined;
}

/** An SMS a person sent to our number (Twilio's inbound "A message comes in" webhook). */
export interface InboundSms {
  messageSid: string;
  from: string;
  to: string;
  body: string;
}

export function parseTwilioInboundSms(params: TwilioParams): InboundSms | undefined {
  const messageSid = params.MessageSid ?? params.SmsSid;
  if (!messageSid || !params.From || params.Body === undefined) return undefined;
  return { messageSid, from: params.From, to: params.To ?? '', body: params.Body };
}

/** Keys pressed during an alert call's `<Gather>`, with the call and the delivery it belongs to. */
export interface GatherInput {
  callSid: string;
  digits: string;
  idempotencyKey?: string;
}

export function parseTwilioGather(params: TwilioParams, actionUrl: string): GatherInput | undefined {
  if (!params.CallSid || params.Digits === undefined) return undefined;
  const key = new URL(actionUrl).searchParams.get(DEFAULTS.twilio.callbackKeyParam) ?? undefined;
  return { callSid: params.CallSid, digits: params.Digits, ...(key ? { idempotencyKey: key } : {}) };
}

/** TwiML answers for the webhook responses. */
export const twiml = {
  /** Reply to an inbound SMS with a text (or nothing, when `text` is undefined). */
  smsReply(text: string | undefined): string {
    const r = new twilio.twiml.MessagingResponse();
    if (text !== undefined) r.message(xmlText(text));
    return r.toString();
  },
  /** Spoken answer after the keypad input, then hang up. */
  say(text: string): string {
    const r = new twilio.twiml.VoiceResponse();
    r.say(xmlText(text));
    r.hangup();
    return r.toString();
  },
};

/**
 * The callback URLs the delivery service gives Twilio for one delivery, under
 * PUBLIC_BASE_URL. The notifier's HTTP edge serves these paths.
 */
export function twilioCallbackUrls(publicBaseUrl: string): {
  statusUrl(idempotencyKey: string): string;
  voiceGatherUrl(idempotencyKey: string): string;
  inboundSmsUrl: string;
} {
  const base = publicBaseUrl.endsWith('/') ? publicBaseUrl : `${publicBaseUrl}/`;
  const withKey = (path: string, key: string): string => {
    const u = new URL(path, base);
    u.searchParams.set(DEFAULTS.twilio.callbackKeyParam, key);
    return u.href;
  };
  return {
    statusUrl: (key) => withKey(DEFAULTS.twilio.statusCallbackPath, key),
    voiceGatherUrl: (key) => withKey(DEFAULTS.twilio.voiceGatherPath, key),
    inboundSmsUrl: new URL(DEFAULTS.twilio.inboundSmsPath, base).href,
  };
}

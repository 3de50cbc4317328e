import { randomBytes } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

/**
 * A local stand-in of Twilio's REST API (2010-04-01) for integration and
 * end-to-end tests: the only fake the notification tests allow. It speaks the
 * wire format the real `twilio` client expects (form-encoded requests, basic
 * auth, JSON resources and error bodies), implements the Messages and Calls
 * create endpoints with Twilio's response shapes and error codes, and sends
 * status callbacks, inbound SMS and `<Gather>` digits to given URLs signed
 * with X-Twilio-Signature by the twilio library's own helper, exactly as
 * Twilio signs them.
 *
 * Binds 127.0.0.1 on an ephemeral port; point the client at `baseUrl`
 * (TWILIO_API_BASE_URL). Close it in the test.
 */

/** Twilio's error body, as the REST API returns it. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** A scripted answer for the next matching create request(s). */
export interface ScriptedFailure {
  endpoint?: 'Messages' | 'Calls';
  /** Only requests to this number. */
  to?: string;
  /** How many requests it answers; 1 by default, Infinity to stay. */
  times?: number;
  status: number;
  /** Twilio error code; 20429 for 429, 20500 for 5xx when omitted. */
  code?: number;
  message?: string;
}

export interface StandInMessage {
  sid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  statusCallback?: string;
  status: string;
  params: Record<string, string>;
}

export interface StandInCall {
  sid: string;
  to: string;
  from: string;
  twiml?: string;
  url?: string;
  statusCallback?: string;
  statusCallbackEvents: string[];
  status: string;
  params: Record<string, string>;
}

export interface CallbackResult {
  status: number;
  body: string;
  /** The URL and params that were signed and posted, for assertions. */
  url: string;
  params: Record<string, string>;
}

const API_VERSION = '2010-04-01';
const E164 = /^\+[1-9]\d{6,14}$/;
/** Twilio's magic test numbers (https://www.twilio.com/docs/iam/test-credentials). */
const MAGIC_INVALID = '+15005550001';
const MAGIC_NOT_MOBILE = '+15005550009';

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** RFC 2822, as Twilio formats `date_created`. */
function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

function errorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export class TwilioStandIn {
  readonly messages: StandInMessage[] = [];
  readonly calls: StandInCall[] = [];
  /** Every create request received, failed ones included, in order. */
  readonly requests: Array<{
    endpoint: 'Messages' | 'Calls';
    status: number;
    params: Record<string, string>;
  }> = [];
  private readonly failures: Array<Required<Pick<ScriptedFailure, 'times'>> & ScriptedFailure> = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    readonly accountSid: string,
    readonly authToken: string,
    private readonly clock: () => number,
  ) {}

  static async start(
    options: { accountSid?: string; authToken?: string; clock?: () => number } = {},
  ): Promise<TwilioStandIn> {
    const accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
    const authToken = options.authToken ?? randomBytes(16).toString('hex');
    const holder: { standIn?: TwilioStandIn } = {};
    const server = createServer((req, res) => {
      holder.standIn!.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(errorBody(500, 20500, String(err))));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const standIn = new TwilioStandIn(
      server,
      `http://127.0.0.1:${port}`,
      accountSid,
      authToken,
      options.clock ?? Date.now,
    );
    holder.standIn = standIn;
    return standIn;
  }

  /** Answers the next matching create request(s) with an error instead of creating. */
  failNext(failure: ScriptedFailure): void {
    this.failures.push({ ...failure, times: failure.times ?? 1 });
  }

  /** Resolves once `predicate` holds, re-checked after each create request. */
  until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (predicate()) {
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        }
      };
      this.waiters.push(check);
    });
  }

  async waitForMessages(count: number): Promise<StandInMessage[]> {
    await this.until(() => this.messages.length >= count);
    return this.messages.slice(0, count);
  }

  async waitForCalls(count: number): Promise<StandInCall[]> {
    await this.until(() => this.calls.length >= count);
    return this.calls.slice(0, count);
  }

  /** X-Twilio-Signature for a POST of `params` to `url`, computed by the twilio library itself. */
  sign(url: string, params: Record<string, string>): string {
    return twilio.getExpectedTwilioSignature(this.authToken, url, params);
  }

  /**
   * POSTs a form to `url` as Twilio does, signed unless a `signature` is
   * forced (to test refusal). One fresh connection per callback, as Twilio's
   * webhooks arrive (no keep-alive: a pooled socket to a notifier that has
   * since restarted on the same port would fail the request).
   */
  async postForm(
    url: string,
    params: Record<string, string>,
    options: { signature?: string } = {},
  ): Promise<CallbackResult> {
    const body = new URLSearchParams(params).toString();
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'TwilioProxy/1.1',
            'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
            'x-twilio-signature': options.signature ?? this.sign(url, params),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    return { status, body: text, url, params };
  }

  /**
   * Sends a message status callback (queued, sent, delivered, undelivered,
   * failed) to the StatusCallback the message was created with, with the
   * parameters Twilio sends.
   */
  async sendMessageStatus(
    messageSid: string,
    status: string,
    options: { errorCode?: number } = {},
  ): Promise<CallbackResult> {
    const m = this.messages.find((x) => x.sid === messageSid);
    if (!m) throw new Error(`no message ${messageSid}`);
    if (!m.statusCallback) throw new Error(`message ${messageSid} has no StatusCallback`);
    m.status = status;
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: API_VERSION,
      From: m.from ?? '',
      To: m.to,
      MessageSid: m.sid,
      SmsSid: m.sid,
      MessageStatus: status,
      SmsStatus: status,
      ...(m.messagingServiceSid ? { MessagingServiceSid: m.messagingServiceSid } : {}),
      ...(options.errorCode !== undefined ? { ErrorCode: String(options.errorCode) } : {}),
    };
    return this.postForm(m.statusCallback, params);
  }

  /** Sends a call progress callback (initiated, ringing, in-progress, completed, busy, no-answer, failed). */
  async sendCallStatus(
    callSid: string,
    status: string,
    options: { sequenceNumber?: number } = {},
  ): Promise<CallbackResult> {
    const c = this.calls.find((x) => x.sid === callSid);
    if (!c) throw new Error(`no call ${callSid}`);
    if (!c.statusCallback) throw new Error(`call ${callSid} has no StatusCallback`);
    c.status = status;
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: API_VERSION,
      CallSid: c.sid,
      CallStatus: status,
      Direction: 'outbound-api',
      From: c.from,
      To: c.to,
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(options.sequenceNumber ?? 0),
      Timestamp: rfc2822(this.clock()),
    };
    return this.postForm(c.statusCallback, params);
  }

  /** The callee pressed `digits` during the call's `<Gather>`: posts to its action URL. */
  async sendGatherDigits(callSid: string, digits: string, actionUrl?: string): Promise<CallbackResult> {
    const c = this.calls.find((x) => x.sid === callSid);
    if (!c) throw new Error(`no call ${callSid}`);
    const url = actionUrl ?? /<Gather[^>]*action="([^"]+)"/.exec(c.twiml ?? '')?.[1]?.replace(/&amp;/g, '&');
    if (!url) throw new Error(`call ${callSid} has no <Gather action>`);
    return this.postForm(url, {
      AccountSid: this.accountSid,
      ApiVersion: API_VERSION,
      CallSid: c.sid,
      CallStatus: 'in-progress',
      Digits: digits,
      Direction: 'outbound-api',
      From: c.from,
      To: c.to,
      FinishedOnKey: '',
    });
  }

  /** A person texted `body` from `from` to our number `to`: posts Twilio's inbound-SMS webhook to `url`. */
  async sendInboundSms(
    url: string,
    sms: { from: string; to: string; body: string },
  ): Promise<CallbackResult> {
    const messageSid = sid('SM');
    return this.postForm(url, {
      AccountSid: this.accountSid,
      ApiVersion: API_VERSION,
      MessageSid: messageSid,
      SmsMessageSid: messageSid,
      SmsSid: messageSid,
      SmsStatus: 'received',
      From: sms.from,
      To: sms.to,
      Body: sms.body,
      NumMedia: '0',
      NumSegments: '1',
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'twilio-request-id': sid('RQ'),
      });
      res.end(JSON.stringify(body));
    };
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(url.pathname);
    if (!m || req.method !== 'POST') {
      return send(404, errorBody(404, 20404, `The requested resource ${url.pathname} was not found`));
    }
    if (!this.authorised(req.headers.authorization) || m[1] !== this.accountSid) {
      return send(401, errorBody(401, 20003, 'Authenticate'));
    }
    const endpoint = m[2] as 'Messages' | 'Calls';
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const params = Object.fromEntries(form.entries());
    const respond = (status: number, body: unknown): void => {
      this.requests.push({ endpoint, status, params });
      send(status, body);
      for (const w of [...this.waiters]) w();
    };

    const to = params.To ?? '';
    const failure = this.failures.find(
      (f) => (!f.endpoint || f.endpoint === endpoint) && (!f.to || f.to === to),
    );
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      const code = failure.code ?? (failure.status === 429 ? 20429 : 20500);
      return respond(
        failure.status,
        errorBody(
          failure.status,
          code,
          failure.message ?? (failure.status === 429 ? 'Too Many Requests' : 'Internal Server Error'),
        ),
      );
    }
    if (!to) return respond(400, errorBody(400, 21604, "A 'To' phone number is required."));
    if (!E164.test(to) || to === MAGIC_INVALID)
      return respond(400, errorBody(400, 21211, `Invalid 'To' Phone Number: ${to}`));
    const now = rfc2822(this.clock());
    const base = `/${API_VERSION}/Accounts/${this.accountSid}`;

    if (endpoint === 'Messages') {
      if (to === MAGIC_NOT_MOBILE)
        return respond(400, errorBody(400, 21614, `'To' number ${to} is not a valid mobile number`));
      if (!params.From && !params.MessagingServiceSid)
        return respond(400, errorBody(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required"));
      if (!params.Body) return respond(400, errorBody(400, 21602, 'Message body is required.'));
      const msg: StandInMessage = {
        sid: sid('SM'),
        to,
        ...(params.From ? { from: params.From } : {}),
        ...(params.MessagingServiceSid ? { messagingServiceSid: params.MessagingServiceSid } : {}),
        body: params.Body,
        ...(params.StatusCallback ? { statusCallback: params.StatusCallback } : {}),
        status: params.MessagingServiceSid ? 'accepted' : 'queued',
        params,
      };
      this.messages.push(msg);
      return respond(201, {
        account_sid: this.accountSid,
        api_version: API_VERSION,
        body: msg.body,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: msg.from ?? null,
        messaging_service_sid: msg.messagingServiceSid ?? null,
        num_media: '0',
        num_segments: '1',
        price: null,
        price_unit: 'USD',
        sid: msg.sid,
        status: msg.status,
        subresource_uris: { media: `${base}/Messages/${msg.sid}/Media.json` },
        to: msg.to,
        uri: `${base}/Messages/${msg.sid}.json`,
      });
    }

    if (!params.From) return respond(400, errorBody(400, 21213, "A 'From' phone number is required."));
    if (!params.Twiml && !params.Url && !params.ApplicationSid)
      return respond(400, errorBody(400, 21205, 'Either Url, Twiml or ApplicationSid is required.'));
    const call: StandInCall = {
      sid: sid('CA'),
      to,
      from: params.From,
      ...(params.Twiml ? { twiml: params.Twiml } : {}),
      ...(params.Url ? { url: params.Url } : {}),
      ...(params.StatusCallback ? { statusCallback: params.StatusCallback } : {}),
      statusCallbackEvents: form.getAll('StatusCallbackEvent'),
      status: 'queued',
      params,
    };
    this.calls.push(call);
    return respond(201, {
      account_sid: this.accountSid,
      annotation: null,
      answered_by: null,
      api_version: API_VERSION,
      caller_name: null,
      date_created: now,
      date_updated: now,
      direction: 'outbound-api',
      duration: null,
      end_time: null,
      forwarded_from: null,
      from: call.from,
      from_formatted: call.from,
      group_sid: null,
      parent_call_sid: null,
      phone_number_sid: sid('PN'),
      price: null,
      price_unit: 'USD',
      sid: call.sid,
      start_time: null,
      status: call.status,
      subresource_uris: { recordings: `${base}/Calls/${call.sid}/Recordings.json` },
      to: call.to,
      to_formatted: call.to,
      trunk_sid: null,
      uri: `${base}/Calls/${call.sid}.json`,
      queue_time: '0',
    });
  }

  private authorised(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const [user, pass] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    return user === this.accountSid && pass === this.authToken;
  }
}

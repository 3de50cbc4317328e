import {
  Body,
  Controller,
  ForbiddenException,
  HttpCode,
  Inject,
  Logger,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import {
  parseTwilioGather,
  parseTwilioInboundSms,
  parseTwilioStatusCallback,
  twiml,
  verifyTwilioSignature,
  type TwilioParams,
} from '../channels/twilio/twilio-webhooks.js';
import { AlertNotifier } from './alert-notifier.js';

/** The part of Fastify's reply used here. */
interface Reply {
  header(name: string, value: string): unknown;
}

interface TwilioRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

const TWIML = 'text/xml; charset=utf-8';

/**
 * Twilio's webhooks (status callbacks, `<Gather>` keypad answers, inbound
 * SMS), served by whichever process runs the notifier: the embedded platform
 * on its one HTTP port, the notifier process on its own PORT in the
 * production stack (route PUBLIC_BASE_URL/webhooks/twilio/* to it).
 *
 * Every request is verified first with the twilio library's validateRequest
 * against the URL as Twilio was given it (PUBLIC_BASE_URL + path + query):
 * anything unsigned, forged, or arriving while Twilio is not configured is
 * answered 403 and changes nothing.
 */
// Paths as in DEFAULTS.twilio (statusCallbackPath, voiceGatherPath, inboundSmsPath), which build the callback URLs.
@Controller('webhooks/twilio')
export class TwilioWebhooksController {
  private readonly logger = new Logger('TwilioWebhooks');

  constructor(
    @Inject(CONFIG) private readonly config: ColdchainConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AlertNotifier) private readonly notifier: AlertNotifier,
  ) {}

  @Post('status')
  @HttpCode(200)
  async status(
    @Req() req: TwilioRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Reply,
  ): Promise<string> {
    const { params, url } = this.verified(req, body);
    res.header('content-type', TWIML); // only once verified: a refusal is JSON
    const update = parseTwilioStatusCallback(params, url, this.clock.now());
    if (update) await this.notifier.onStatusCallback(update);
    else this.logger.warn(`status callback without a known status: ${JSON.stringify(params)}`);
    return twiml.smsReply(undefined);
  }

  @Post('voice/gather')
  @HttpCode(200)
  async gather(
    @Req() req: TwilioRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Reply,
  ): Promise<string> {
    const { params, url } = this.verified(req, body);
    res.header('content-type', TWIML);
    const input = parseTwilioGather(params, url);
    if (!input) return twiml.say('No key was pressed. The alert is not acknowledged. Goodbye.');
    return twiml.say(await this.notifier.onGather(input));
  }

  @Post('sms/inbound')
  @HttpCode(200)
  async inboundSms(
    @Req() req: TwilioRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Reply,
  ): Promise<string> {
    const { params } = this.verified(req, body);
    res.header('content-type', TWIML);
    const sms = parseTwilioInboundSms(params);
    if (!sms) return twiml.smsReply(undefined);
    return twiml.smsReply(await this.notifier.onInboundSms(sms));
  }

  /** The form fields and public URL of a request whose X-Twilio-Signature checks out; 403 otherwise. */
  private verified(req: TwilioRequest, body: unknown): { params: TwilioParams; url: string } {
    const token = this.config.TWILIO_AUTH_TOKEN;
    const base = this.config.PUBLIC_BASE_URL;
    const params: TwilioParams = {};
    if (body && typeof body === 'object')
      for (const [k, v] of Object.entries(body as Record<string, unknown>))
        if (typeof v === 'string') params[k] = v;
    const signature = req.headers['x-twilio-signature'];
    if (!token || !base) throw this.refuse('Twilio is not configured');
    // The URL Twilio signed: the public origin (+ prefix a proxy may strip) followed by the path and query.
    const url = new URL(req.url.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`).href;
    if (
      !verifyTwilioSignature({
        authToken: token,
        url,
        params,
        signature: typeof signature === 'string' ? signature : undefined,
      })
    )
      throw this.refuse('invalid X-Twilio-Signature');
    return { params, url };
  }

  private refuse(why: string): ForbiddenException {
    this.logger.warn(`refused a Twilio webhook: ${why}`);
    return new ForbiddenException({ statusCode: 403, error: 'forbidden', message: why });
  }
}

import twilio from 'twilio';
import { DEFAULTS } from '../../notifications.defaults.js';

/** TWILIO_* configuration keys, validated at boot (see `loadNotificationsConfig`). */
export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** E.164 sender number (+15005550006), or a Messaging Service SID (MG…) for SMS. */
  from: string;
  /**
   * TWILIO_API_BASE_URL: send every REST call to this origin (and path prefix)
   * instead of https://api.twilio.com, for example the local stand-in
   * `http://127.0.0.1:41234`. Unset in production.
   */
  apiBaseUrl?: string;
  requestTimeoutMs?: number;
}

export type TwilioClient = ReturnType<typeof twilio>;

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/**
 * The twilio library's own HTTP client with one change: URLs on *.twilio.com
 * are re-rooted at `baseUrl`. This is the library's documented extension
 * point (`ClientOpts.httpClient`, "custom HTTP client"); everything else
 * (form encoding, basic auth, RestException mapping, response parsing) stays
 * the library's own, so tests against the stand-in exercise the real code
 * path. twilio 6 has no base-URL option: `edge`/`region` only rewrite the
 * host within twilio.com.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, options: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(options);
    this.base = new URL(baseUrl);
  }

  override request<TData>(opts: RequestOptions & { data?: TData }) {
    const target = new URL(opts.uri);
    if (target.hostname === 'twilio.com' || target.hostname.endsWith('.twilio.com')) {
      const rerooted = new URL(this.base.href);
      rerooted.pathname = `${this.base.pathname.replace(/\/+$/, '')}${target.pathname}`;
      rerooted.search = target.search;
      return super.request<TData>({ ...opts, uri: rerooted.href });
    }
    return super.request<TData>(opts);
  }
}

/** One client per process: it keeps a keep-alive agent, so reuse it for SMS and voice. */
export function createTwilioClient(config: TwilioConfig): TwilioClient {
  const timeout = config.requestTimeoutMs ?? DEFAULTS.twilio.requestTimeoutMs;
  return twilio(config.accountSid, config.authToken, {
    timeout,
    // Retries belong to the delivery service, which records every attempt.
    autoRetry: false,
    ...(config.apiBaseUrl
      ? { httpClient: new BaseUrlRequestClient(config.apiBaseUrl, { timeout, autoRetry: false }) }
      : {}),
  });
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyTwilioSignature, type TwilioParams } from '@coldchain/notifications';

/** One webhook request as the receiver saw it, after checking its Twilio signature. */
export interface ReceivedCallback {
  path: string;
  url: string;
  params: TwilioParams;
  signatureValid: boolean;
}

/**
 * Plays the notifier's HTTP edge for Twilio webhooks in these tests: parses
 * the form body, checks X-Twilio-Signature with the lib's
 * `verifyTwilioSignature` (the twilio library's validateRequest) against the
 * public URL, answers 403 when it fails, otherwise hands the request to
 * `handle` and returns its TwiML (or an empty <Response/>).
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(
    authToken: string,
    handle: (cb: ReceivedCallback) => Promise<string | undefined> | string | undefined = () => undefined,
  ): Promise<CallbackReceiver> {
    const holder: { r?: CallbackReceiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const receiver = holder.r!;
        const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        const url = `${receiver.baseUrl}${req.url ?? '/'}`;
        const signature = req.headers['x-twilio-signature'];
        const signatureValid = verifyTwilioSignature({
          authToken,
          url,
          params,
          signature: typeof signature === 'string' ? signature : undefined,
        });
        const cb: ReceivedCallback = { path: new URL(url).pathname, url, params, signatureValid };
        const finish = (status: number, body: string): void => {
          res.writeHead(status, { 'content-type': 'text/xml' });
          res.end(body);
          receiver.received.push(cb);
          for (const w of [...receiver.waiters]) w();
        };
        if (!signatureValid) return finish(403, 'invalid signature');
        Promise.resolve(handle(cb)).then(
          (twiml) => finish(200, twiml ?? '<?xml version="1.0" encoding="UTF-8"?><Response/>'),
          (err: unknown) => finish(500, String(err)),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    holder.r = new CallbackReceiver(server, `http://127.0.0.1:${port}`);
    return holder.r;
  }

  /** Resolves once `count` requests in total have been answered. */
  waitFor(count: number): Promise<ReceivedCallback[]> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.received.length >= count) {
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(this.received.slice(0, count));
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

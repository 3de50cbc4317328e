import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

/** One message as the sink received it: the SMTP envelope and the parsed MIME message. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
  raw: string;
}

export interface SmtpSinkOptions {
  /** When set, AUTH is required and must match. */
  auth?: { user: string; pass: string };
  /**
   * Decides per recipient: undefined accepts, an SMTP reply code refuses
   * RCPT TO with it (450 mailbox busy: transient; 550 no such user: permanent).
   */
  refuseRecipient?: (address: string) => number | undefined;
}

/**
 * A real SMTP server (smtp-server) for integration tests: binds 127.0.0.1 on
 * an ephemeral port, no TLS, and hands every accepted message, parsed by
 * mailparser, to whoever waits for it.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private waiters: Array<{ count: number; resolve: (m: ReceivedMail[]) => void }> = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const received: Array<(mail: ReceivedMail) => void> = [];
    const server = new SMTPServer({
      secure: false,
      disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      authOptional: !options.auth,
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === options.auth?.user && auth.password === options.auth?.pass)
          cb(null, { user: auth.username });
        else cb(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
      },
      onRcptTo(address: SMTPServerAddress, _session, cb) {
        const refusal = options.refuseRecipient?.(address.address);
        if (refusal === undefined) return cb();
        cb(Object.assign(new Error(`Recipient ${address.address} refused`), { responseCode: refusal }));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
              for (const r of received)
                r({ envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) }, parsed, raw });
              cb();
            })
            .catch((err: Error) => cb(err));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
    const sink = new SmtpSink(server, port);
    received.push((mail) => sink.accept(mail));
    return sink;
  }

  /** Resolves once `count` messages in total have been received. */
  waitForMessages(count: number): Promise<ReceivedMail[]> {
    if (this.messages.length >= count) return Promise.resolve(this.messages.slice(0, count));
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(mail: ReceivedMail): void {
    this.messages.push(mail);
    const ready = this.waiters.filter((w) => this.messages.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.messages.length < w.count);
    for (const w of ready) w.resolve(this.messages.slice(0, w.count));
  }
}

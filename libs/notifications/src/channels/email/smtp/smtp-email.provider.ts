import { createHash } from 'node:crypto';
import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { DEFAULTS } from '../../../notifications.defaults.js';
import type {
  DeliveryReceipt,
  NotificationChannel,
  OutgoingNotification,
} from '../../notification-channel.js';
import { toSmtpDeliveryError } from './smtp-error.mapper.js';

/** SMTP_* configuration keys, validated at boot (see `loadNotificationsConfig`). */
export interface SmtpConfig {
  host: string;
  /** 587 (submission, STARTTLS), 465 (implicit TLS) or 25. */
  port: number;
  /** True for implicit TLS (port 465); false upgrades with STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  /** Envelope and header sender, for example `"Coldchain alerts" <alerts@example.com>`. */
  from: string;
  /** Pool and timeout tunables; DEFAULTS.smtp when omitted. */
  maxConnections?: number;
  maxMessagesPerConnection?: number;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/** How the pool's TCP connections are opened (tests pass a recording one). */
export type SmtpConnect = (options: NetConnectOpts) => Socket;

/**
 * The SMTP pool's connection opener (nodemailer's `getSocket` hook): a plain
 * TCP connection with Nagle's algorithm off (TCP_NODELAY), handed to
 * nodemailer as an open `connection`, on which it then runs the SMTP dialogue
 * and any TLS (implicit on 465, STARTTLS otherwise) exactly as on a socket of
 * its own.
 *
 * Why: nodemailer leaves Nagle on. The end of DATA (`<CRLF>.<CRLF>`, RFC 5321
 * §4.1.1.4) is a small write right behind the message body, so Nagle holds it
 * until the server acknowledges the body, and the server delays that ACK
 * (delayed ACK: 40 ms on Linux) because it has nothing to answer yet. Every
 * message waited that long for its `250`: about 45 ms of the 56 ms p50 from
 * starting a delivery to the `250` in bench:notify (docs/notifications.md,
 * Benchmark). Failures keep their Node codes (ECONNREFUSED, ETIMEDOUT...), so
 * `toSmtpDeliveryError` still maps them as transient.
 */
export function smtpSocketOpener(
  host: string,
  port: number,
  connectionTimeoutMs: number,
  connect: SmtpConnect = netConnect,
): (options: unknown, callback: (err: Error | null, socketOptions?: { connection: Socket }) => void) => void {
  return (_options, callback) => {
    const socket = connect({ host, port, noDelay: true, keepAlive: true });
    let settled = false;
    const settle = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('error', settle);
      if (err) {
        socket.destroy();
        callback(err);
      } else callback(null, { connection: socket });
    };
    const timer = setTimeout(
      () =>
        settle(Object.assign(new Error(`connection to ${host}:${port} timed out`), { code: 'ETIMEDOUT' })),
      connectionTimeoutMs,
    );
    socket.once('error', settle);
    socket.once('connect', () => settle(null));
  };
}

/**
 * Email over SMTP with nodemailer, pooled (a few long-lived connections, not
 * one per alert). A send resolves on the server's 250 to DATA; every failure
 * is mapped by `toSmtpDeliveryError` (4xx transient, 5xx permanent).
 *
 * The Message-ID is derived from the idempotency key, so a resend after a
 * crash carries the same Message-ID and mail systems can fold the duplicate.
 */
export class SmtpEmailChannel implements NotificationChannel {
  readonly kind = 'email' as const;
  readonly provider = 'smtp' as const;
  private readonly transport: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;
  private readonly messageIdDomain: string;

  constructor(
    private readonly config: SmtpConfig,
    connect?: SmtpConnect,
  ) {
    const connectionTimeoutMs = config.connectionTimeoutMs ?? DEFAULTS.smtp.connectionTimeoutMs;
    this.transport = nodemailer.createTransport({
      pool: true,
      host: config.host,
      port: config.port,
      secure: config.secure,
      ...(config.user ? { auth: { user: config.user, pass: config.pass ?? '' } } : {}),
      maxConnections: config.maxConnections ?? DEFAULTS.smtp.maxConnections,
      maxMessages: config.maxMessagesPerConnection ?? DEFAULTS.smtp.maxMessagesPerConnection,
      connectionTimeout: connectionTimeoutMs,
      greetingTimeout: config.greetingTimeoutMs ?? DEFAULTS.smtp.greetingTimeoutMs,
      socketTimeout: config.socketTimeoutMs ?? DEFAULTS.smtp.socketTimeoutMs,
      getSocket: smtpSocketOpener(config.host, config.port, connectionTimeoutMs, connect),
    });
    this.messageIdDomain = /@([^>\s]+)/.exec(config.from)?.[1] ?? 'coldchain.invalid';
  }

  async send(message: OutgoingNotification): Promise<DeliveryReceipt> {
    const { email } = message.rendered;
    const messageId = `<${createHash('sha256').update(message.idempotencyKey).digest('hex').slice(0, 32)}@${this.messageIdDomain}>`;
    let info: SMTPPool.SentMessageInfo;
    try {
      info = await this.transport.sendMail({
        from: this.config.from,
        to: message.recipient.name
          ? { name: message.recipient.name, address: message.recipient.address }
          : message.recipient.address,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId,
        headers: {
          // RFC 3834 §5: machine-generated, so vacation responders stay quiet.
          'Auto-Submitted': 'auto-generated',
          'X-Coldchain-Alert-Key': message.alert.key,
          'X-Coldchain-Idempotency-Key': message.idempotencyKey,
        },
      });
    } catch (err) {
      throw toSmtpDeliveryError(err);
    }
    return {
      channel: 'email',
      provider: 'smtp',
      providerMessageId: info.messageId,
      status: 'accepted',
      detail: info.response,
    };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

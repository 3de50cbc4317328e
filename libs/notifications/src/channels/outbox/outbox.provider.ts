import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '@coldchain/domain';
import { DEFAULTS } from '../../notifications.defaults.js';
import { consoleLogger, type NotificationsLogger } from '../../notifications.logger.js';
import { DeliveryError, errorCodeOf, messageOf } from '../delivery.error.js';
import type {
  ChannelKind,
  DeliveryReceipt,
  NotificationChannel,
  OutgoingNotification,
} from '../notification-channel.js';

/** One line of `outbox.jsonl`. Stable shape: tests and operators read it. */
export interface OutboxLine {
  /** Processing time the line was written, epoch ms. */
  at: number;
  /** The medium this line stands in for (email, sms, voice) or `outbox` itself. */
  medium: ChannelKind;
  idempotencyKey: string;
  alertKey: string;
  tenantId: string;
  severity: string;
  transition: string;
  to: { contactId: string; name?: string; address: string };
  subject: string;
  text: string;
  sms: string;
  voice: string;
  ackCode?: string;
}

export interface OutboxFileOptions {
  /** Absolute path of the JSONL file, for example `${DATA_DIR}/outbox.jsonl`; its folder is created. */
  path: string;
  clock: Clock;
  fsync?: 'always' | 'never';
  logger?: NotificationsLogger;
}

/**
 * An append-only JSON Lines file shared by every outbox channel.
 *
 * Contract: each `append` writes exactly one whole line (appends are
 * serialised in this process, and the file is opened with O_APPEND so lines
 * of several processes never interleave below PIPE_BUF-sized writes); with
 * `fsync: 'always'` the promise resolves only after fdatasync, so a line
 * reported written survives a crash or power cut.
 */
export class OutboxFile {
  private handle: Promise<FileHandle> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  readonly fsync: 'always' | 'never';
  readonly logger: NotificationsLogger;

  constructor(private readonly options: OutboxFileOptions) {
    this.fsync = options.fsync ?? DEFAULTS.outbox.fsync;
    this.logger = options.logger ?? consoleLogger;
  }

  get path(): string {
    return this.options.path;
  }

  now(): number {
    return this.options.clock.now();
  }

  append(line: OutboxLine): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.closed) throw new Error('outbox closed');
      const fh = await this.open();
      await fh.appendFile(`${JSON.stringify(line)}\n`, 'utf8');
      if (this.fsync === 'always') await fh.datasync();
    };
    const done = this.tail.then(run, run);
    this.tail = done.catch(() => undefined);
    return done;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    const h = this.handle;
    this.handle = undefined;
    if (h) await (await h).close();
  }

  private open(): Promise<FileHandle> {
    // Private like every file in DATA_DIR (alert texts name sites and people): 0700 folder, 0600 file.
    this.handle ??= mkdir(dirname(this.options.path), { recursive: true, mode: 0o700 }).then(() =>
      open(this.options.path, 'a', 0o600),
    );
    // A failed open is not cached: the next append tries again.
    this.handle.catch(() => (this.handle = undefined));
    return this.handle;
  }
}

/**
 * The embedded default's channel: instead of sending, writes one JSON line per
 * notification to the outbox file and logs one line. Stands in for email, SMS
 * or voice when SMTP or Twilio is not configured, so nothing is silently
 * dropped and an operator (or a test) can read what would have been sent.
 */
export class OutboxChannel implements NotificationChannel {
  readonly provider = 'outbox' as const;

  constructor(
    private readonly file: OutboxFile,
    /** The medium this instance stands in for. */
    readonly kind: ChannelKind = 'outbox',
  ) {}

  async send(message: OutgoingNotification): Promise<DeliveryReceipt> {
    const { alert, rendered } = message;
    const line: OutboxLine = {
      at: this.file.now(),
      medium: this.kind,
      idempotencyKey: message.idempotencyKey,
      alertKey: alert.key,
      tenantId: alert.tenantId,
      severity: alert.severity,
      transition: alert.transition,
      to: message.recipient,
      subject: rendered.email.subject,
      text: rendered.email.text,
      sms: rendered.sms.text,
      voice: rendered.voice.script,
      ...(rendered.ackCode ? { ackCode: rendered.ackCode } : {}),
    };
    try {
      await this.file.append(line);
    } catch (err) {
      // A full disk or a permission problem may clear; a closed outbox means shutdown: retry elsewhere.
      throw new DeliveryError(`outbox write failed: ${messageOf(err)}`, {
        channel: this.kind,
        provider: 'outbox',
        retriable: true,
        providerCode: errorCodeOf(err),
        cause: err,
      });
    }
    this.file.logger.log('notification written to outbox', {
      medium: this.kind,
      to: message.recipient.address,
      alertKey: alert.key,
      subject: rendered.email.subject,
      file: this.file.path,
    });
    return {
      channel: this.kind,
      provider: 'outbox',
      providerMessageId: message.idempotencyKey,
      status: 'written',
      detail: this.file.path,
    };
  }

  /** The shared file is closed by whoever created it (the channel factory). */
  async close(): Promise<void> {}
}

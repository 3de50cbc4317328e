import type { AlertEvent, Clock } from '@coldchain/domain';
import { isRetriable } from '@coldchain/errors';
import { DeliveryError, messageOf } from '../channels/delivery.error.js';
import type { ChannelKind, DeliveryReceipt, NotificationChannel } from '../channels/notification-channel.js';
import { DEFAULTS } from '../notifications.defaults.js';
import { consoleLogger, type NotificationsLogger } from '../notifications.logger.js';
import type { RenderedAlert } from '../render/rendered-alert.js';
import type { Contact } from '../routing/contact.js';
import { backoffDelayMs } from './backoff.js';
import {
  isFinalProviderStatus,
  type DeliveryLog,
  type DeliveryErrorInfo,
  type DeliveryRecord,
  type ProviderStatusUpdate,
} from '@coldchain/metadata-store';

/** One person (or system) to reach over one channel, with where to turn if that channel cannot. */
export interface DeliveryTarget {
  contact: Contact;
  channel: ChannelKind;
  /**
   * Channels tried in order, for the same contact, when `channel` is refused
   * permanently, exhausts its retries or has no route (no address, not
   * configured). Default: `DEFAULT_FALLBACKS[channel]`; `[]` for none.
   */
  fallbacks?: readonly ChannelKind[];
}

/** Where to fall back when a channel cannot reach a contact: SMS ↔ voice, and email as the last resort. */
export const DEFAULT_FALLBACKS: Readonly<Record<ChannelKind, readonly ChannelKind[]>> = {
  email: ['sms'],
  sms: ['voice', 'email'],
  voice: ['sms', 'email'],
  webhook: ['email'],
  outbox: [],
};

export type ChannelOutcome =
  /** Accepted by the provider in this call. */
  | { kind: 'sent'; key: string; channel: ChannelKind; receipt: DeliveryReceipt; attempts: number }
  /** Recorded as sent earlier (a redelivered alert, a restart): not sent again. */
  | { kind: 'already_sent'; key: string; channel: ChannelKind; record: DeliveryRecord }
  /** Another holder's attempt is under way (another instance): left to it. */
  | { kind: 'in_flight'; key: string; channel: ChannelKind; record: DeliveryRecord }
  /** Refused permanently, retries exhausted, or no route: recorded; the next fallback is tried. */
  | { kind: 'failed'; key: string; channel: ChannelKind; error: DeliveryErrorInfo; attempts: number }
  /** Shutdown interrupted a retry wait; the record stays `retry_wait` for a later run. */
  | { kind: 'interrupted'; key: string; channel: ChannelKind };

export interface TargetOutcome {
  contactId: string;
  /** The requested channel first, then each fallback tried, in order. */
  channels: ChannelOutcome[];
  /** True when some channel reached the provider (now or before). */
  reached: boolean;
}

export interface DeliveryServiceOptions {
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  sendingLeaseMs?: number;
}

export interface DeliveryServiceDeps {
  channels: { get(kind: ChannelKind): NotificationChannel | undefined };
  log: DeliveryLog;
  clock: Clock;
  /** Waits `ms`, rejecting or resolving early when `signal` aborts. Default: a timer. Tests pass one that advances a manual clock. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Callback URLs per delivery (Twilio status and `<Gather>`); omitted: no callbacks requested. */
  callbacks?: { statusUrl(idempotencyKey: string): string; voiceGatherUrl(idempotencyKey: string): string };
  logger?: NotificationsLogger;
  options?: DeliveryServiceOptions;
}

export interface DeliveryRequest {
  alert: AlertEvent;
  targets: readonly DeliveryTarget[];
  /** Renders the alert for one contact (names, time zone, ack link and code are per contact). */
  render: (contact: Contact) => RenderedAlert;
}

/** `${alertKey}|${contactId}|${channel}`: one delivery per alert transition, contact and channel. */
export function deliveryKey(alertKey: string, contactId: string, channel: ChannelKind): string {
  return `${alertKey}|${contactId}|${channel}`;
}

/** The address a channel needs for a contact; undefined when the contact has none for it. */
export function addressFor(contact: Contact, channel: ChannelKind): string | undefined {
  switch (channel) {
    case 'email':
      return contact.email;
    case 'sms':
    case 'voice':
      return contact.phone;
    case 'webhook':
    case 'outbox':
      return contact.email ?? contact.phone ?? contact.id;
  }
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Like Promise.all, but waits for every promise before rejecting, so that one
 * target's failure (the delivery log unreachable) never abandons the others
 * half-way. Rejects with the first error; the caller redelivers the alert and
 * the log de-duplicates what did get through.
 */
async function settleAll<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

function errorInfo(err: DeliveryError): DeliveryErrorInfo {
  return {
    code: err.code,
    message: err.message,
    retriable: err.retriable,
    ...(err.providerCode !== undefined ? { providerCode: err.providerCode } : {}),
  };
}

/**
 * Sends one alert transition to its targets, exactly once per (alert,
 * contact, channel) as far as the DeliveryLog can tell, and never blocking one
 * target on another.
 *
 * Per target: acquire the key in the log (skip if already sent, failed, or
 * being sent elsewhere), send, record. Retriable errors are retried with
 * exponential backoff and jitter up to `maxAttempts`; permanent errors (and
 * exhausted retries, and missing routes) are recorded as failed and the
 * contact's next fallback channel is tried. Framework-free; time only from
 * the injected clock.
 *
 * Guarantee: a key recorded `sent` is never sent again. The one window where
 * a duplicate is possible is a crash after the provider accepted and before
 * `markSent` landed, and then only if no provider callback (which carries the
 * key) arrived before the lease expired: at-least-once in that window, by
 * choice: a lost alarm is worse than a repeated one.
 */
export class DeliveryService {
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly logger: NotificationsLogger;
  private readonly opts: Required<DeliveryServiceOptions>;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: DeliveryServiceDeps) {
    this.sleep = deps.sleep ?? defaultSleep;
    this.random = deps.random ?? Math.random;
    this.logger = deps.logger ?? consoleLogger;
    this.opts = {
      maxAttempts: deps.options?.maxAttempts ?? DEFAULTS.delivery.maxAttempts,
      backoffBaseMs: deps.options?.backoffBaseMs ?? DEFAULTS.delivery.backoffBaseMs,
      backoffMaxMs: deps.options?.backoffMaxMs ?? DEFAULTS.delivery.backoffMaxMs,
      sendingLeaseMs: deps.options?.sendingLeaseMs ?? DEFAULTS.delivery.sendingLeaseMs,
    };
  }

  /** Delivers to every target concurrently; resolves when each has reached a provider, failed, or been interrupted. */
  async deliver(request: DeliveryRequest): Promise<TargetOutcome[]> {
    const seen = new Set<string>();
    const targets = request.targets.filter((t) => {
      const id = `${t.contact.id}|${t.channel}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    const rendered = new Map<string, RenderedAlert>();
    const renderFor = (c: Contact): RenderedAlert => {
      let r = rendered.get(c.id);
      if (!r) rendered.set(c.id, (r = request.render(c)));
      return r;
    };
    return settleAll(targets.map((t) => this.deliverTarget(request.alert, t, renderFor, undefined)));
  }

  /**
   * Escalates after a provider reported a sent message finally undelivered
   * (see `recordProviderStatus`): tries the contact's next channels after
   * `failed.channel`, each under its own key, recording `escalatedFrom`.
   */
  async deliverFallback(request: {
    alert: AlertEvent;
    contact: Contact;
    failed: Pick<DeliveryRecord, 'channel' | 'idempotencyKey'>;
    fallbacks?: readonly ChannelKind[];
    render: (contact: Contact) => RenderedAlert;
  }): Promise<TargetOutcome> {
    const chain = (request.fallbacks ?? DEFAULT_FALLBACKS[request.failed.channel]).filter(
      (c) => c !== request.failed.channel,
    );
    if (chain.length === 0) return { contactId: request.contact.id, channels: [], reached: false };
    const [first, ...rest] = chain as [ChannelKind, ...ChannelKind[]];
    return this.deliverTarget(
      request.alert,
      { contact: request.contact, channel: first, fallbacks: rest },
      request.render,
      request.failed.idempotencyKey,
    );
  }

  /**
   * Records a verified, parsed provider callback. `escalate` is true when the
   * provider reports the message finally not delivered (undelivered, failed,
   * busy, no-answer): the caller then delivers again to the contact's next
   * channel (a new key, so this never duplicates).
   */
  async recordProviderStatus(
    update: ProviderStatusUpdate,
  ): Promise<{ record: DeliveryRecord | undefined; escalate: boolean }> {
    const record = await this.deps.log.recordProviderStatus(update);
    if (!record) {
      this.logger.warn('status callback for an unknown delivery', {
        providerMessageId: update.providerMessageId,
      });
      return { record, escalate: false };
    }
    const escalate =
      isFinalProviderStatus(update.status) &&
      update.status !== 'delivered' &&
      record.providerStatus === update.status;
    return { record, escalate };
  }

  /** Stops retry waits (in-flight sends finish); their records stay `retry_wait` for a later run or a sweeper. */
  stop(): void {
    this.stopping.abort();
  }

  private async deliverTarget(
    alert: AlertEvent,
    target: DeliveryTarget,
    render: (c: Contact) => RenderedAlert,
    escalatedFromKey: string | undefined,
  ): Promise<TargetOutcome> {
    const chain = [target.channel, ...(target.fallbacks ?? DEFAULT_FALLBACKS[target.channel])].filter(
      (c, i, all) => all.indexOf(c) === i,
    );
    const outcomes: ChannelOutcome[] = [];
    let escalatedFrom = escalatedFromKey;
    for (const channel of chain) {
      const outcome = await this.deliverOne(alert, target.contact, channel, render, escalatedFrom);
      outcomes.push(outcome);
      if (outcome.kind !== 'failed') break;
      escalatedFrom = outcome.key;
    }
    return {
      contactId: target.contact.id,
      channels: outcomes,
      reached: outcomes.some((o) => o.kind === 'sent' || o.kind === 'already_sent'),
    };
  }

  private async deliverOne(
    alert: AlertEvent,
    contact: Contact,
    channel: ChannelKind,
    render: (c: Contact) => RenderedAlert,
    escalatedFrom: string | undefined,
  ): Promise<ChannelOutcome> {
    const { log, clock } = this.deps;
    const key = deliveryKey(alert.key, contact.id, channel);
    const provider = this.deps.channels.get(channel);
    const address = addressFor(contact, channel);
    const init = {
      idempotencyKey: key,
      alertKey: alert.key,
      tenantId: alert.tenantId,
      contactId: contact.id,
      channel,
      address: address ?? '',
      ...(escalatedFrom ? { escalatedFrom } : {}),
    };

    for (;;) {
      const now = clock.now();
      const acquired = await log.acquire(init, now, this.opts.sendingLeaseMs);
      const record = acquired.record;
      if (!acquired.acquired) {
        switch (record.state) {
          case 'sent':
            return { kind: 'already_sent', key, channel, record };
          case 'failed':
            return { kind: 'failed', key, channel, error: record.lastError!, attempts: record.attempts };
          case 'sending':
            return { kind: 'in_flight', key, channel, record };
          case 'retry_wait': {
            // Resumed after a restart while a retry was pending: wait for it, then try to take it.
            if (this.stopping.signal.aborted) return { kind: 'interrupted', key, channel };
            await this.sleep(Math.max(0, (record.nextAttemptAt ?? now) - now), this.stopping.signal);
            if (this.stopping.signal.aborted) return { kind: 'interrupted', key, channel };
            continue;
          }
        }
      }

      const attempt = record.attempts;
      const noRoute = !provider
        ? { code: 'channel_unavailable', message: `no ${channel} channel configured` }
        : !address
          ? { code: 'no_address', message: `contact ${contact.id} has no address for ${channel}` }
          : undefined;
      if (noRoute) {
        const error: DeliveryErrorInfo = { ...noRoute, retriable: false };
        await log.markFailed(key, attempt, error, clock.now());
        return { kind: 'failed', key, channel, error, attempts: attempt };
      }

      let receipt: DeliveryReceipt;
      try {
        receipt = await provider!.send({
          idempotencyKey: key,
          alert,
          recipient: { contactId: contact.id, name: contact.name, address: address! },
          rendered: render(contact),
          ...(this.deps.callbacks
            ? {
                callbacks: {
                  statusUrl: this.deps.callbacks.statusUrl(key),
                  voiceGatherUrl: this.deps.callbacks.voiceGatherUrl(key),
                },
              }
            : {}),
        });
      } catch (err) {
        const de =
          err instanceof DeliveryError
            ? err
            : new DeliveryError(`${channel} provider threw: ${messageOf(err)}`, {
                channel,
                provider: provider!.provider,
                retriable: isRetriable(err),
                cause: err,
              });
        const error = errorInfo(de);
        const at = clock.now();
        if (de.retriable && attempt < this.opts.maxAttempts && !this.stopping.signal.aborted) {
          const waitMs = backoffDelayMs(attempt, this.random, {
            baseMs: this.opts.backoffBaseMs,
            maxMs: this.opts.backoffMaxMs,
          });
          await log.markRetry(key, attempt, error, at + waitMs, at);
          this.logger.warn('notification attempt failed, will retry', {
            channel,
            key,
            attempt,
            waitMs,
            error: de.message,
          });
          await this.sleep(waitMs, this.stopping.signal);
          if (this.stopping.signal.aborted) return { kind: 'interrupted', key, channel };
          continue;
        }
        if (de.retriable && this.stopping.signal.aborted) {
          await log.markRetry(key, attempt, error, at, at);
          return { kind: 'interrupted', key, channel };
        }
        await log.markFailed(key, attempt, error, at);
        this.logger.warn('notification failed', {
          channel,
          key,
          attempt,
          error: de.message,
          retriable: de.retriable,
        });
        return { kind: 'failed', key, channel, error, attempts: attempt };
      }
      // Outside the try on purpose: if recording fails (log unreachable), the message was nevertheless
      // accepted and must not be retried as if the provider had refused it. The record stays `sending`;
      // the provider's callback (which carries the key) or the lease expiry settles it.
      await log.markSent(
        key,
        { provider: receipt.provider, providerMessageId: receipt.providerMessageId },
        clock.now(),
      );
      this.logger.log('notification sent', { channel, provider: receipt.provider, key, attempt });
      return { kind: 'sent', key, channel, receipt, attempts: attempt };
    }
  }
}

/**
 * Targets of a (cumulative) plan not yet recorded in the delivery log, so
 * that rate limits count only messages that will really go out.
 */
export function notYetAttempted<T extends DeliveryTarget>(
  alertKey: string,
  targets: readonly T[],
  records: readonly Pick<DeliveryRecord, 'idempotencyKey'>[],
): T[] {
  const known = new Set(records.map((r) => r.idempotencyKey));
  return targets.filter((t) => !known.has(deliveryKey(alertKey, t.contact.id, t.channel)));
}

import type { AlertEvent, Clock, EpochMs } from '@coldchain/domain';
import type {
  AckAuditLog,
  StoredAck,
  DeliveryLog,
  DeliveryRecord,
  ProviderStatusUpdate,
} from '@coldchain/metadata-store';
import { createAckLink } from '../ack/ack-link.js';
import { ackCodeFor, parseSmsReply, parseVoiceDigits } from '../ack/ack-reply.js';
import { claimOfAckToken, recordAck, type AckRequest } from '../ack/acknowledge.js';
import type { GatherInput, InboundSms } from '../channels/twilio/twilio-webhooks.js';
import { notYetAttempted, type DeliveryService } from '../delivery/delivery.service.js';
import { consoleLogger, type NotificationsLogger } from '../notifications.logger.js';
import { renderAlert } from '../render/alert.renderer.js';
import type { RenderedAlert } from '../render/rendered-alert.js';
import type { Contact } from '../routing/contact.js';
import { applyRateLimit, TenantRateLimiter } from '../routing/rate-limit.js';
import type { RoutingDirectory } from '../routing/routing-directory.js';
import { planAlert, type RoutedTarget } from '../routing/routing-policy.js';
import { StormGrouper, renderStormSms, stormAlertEvent, type StormGroup } from '../routing/storm.js';

/** Runs `fn` at (or soon after) `when`; returns a cancel function. Tests pass one driven by a manual clock. */
export interface Scheduler {
  at(when: EpochMs, fn: () => void): () => void;
}

/** setTimeout against `clock` (delays clamped at 0 and at the 32-bit timer limit, then re-armed). */
export function timerScheduler(clock: Clock): Scheduler {
  const MAX_TIMER_MS = 2 ** 31 - 1;
  return {
    at(when, fn) {
      let timer: NodeJS.Timeout;
      const arm = (): void => {
        const wait = when - clock.now();
        timer = setTimeout(wait > MAX_TIMER_MS ? arm : fn, Math.min(MAX_TIMER_MS, Math.max(0, wait)));
      };
      arm();
      return () => clearTimeout(timer);
    },
  };
}

/** Display names the messages need, which the alert only refers to by id. */
export interface AlertNames {
  tagName: string;
  profileName: string;
  tenantName: string;
  hubName?: string;
}

/** Tunables of the notifier core, units in the names. */
export const ALERT_NOTIFIER_DEFAULTS = {
  /** An SMS reply is matched against alerts texted to that number within this window. */
  smsReplyWindowMs: 7 * 24 * 60 * 60_000, // 7 days
  /** Records examined when matching an SMS reply code. */
  smsReplyCandidates: 50,
};

export interface AlertNotifierDeps {
  delivery: DeliveryService;
  log: DeliveryLog;
  acks: AckAuditLog;
  /** Read on every decision, so its owner may reload it. */
  directory: () => RoutingDirectory;
  names: (alert: AlertEvent) => AlertNames;
  clock: Clock;
  /** Key of ack links and SMS codes (ACK_LINK_SECRET). */
  ackSecret: string;
  /** Ack links are put in messages only when the public origin is known. */
  publicBaseUrl?: string;
  scheduler?: Scheduler;
  storm?: StormGrouper;
  rateLimiter?: TenantRateLimiter;
  logger?: NotificationsLogger;
  /** Finds an alert transition by key when this process has not seen it (after a restart). */
  findAlert?: (tenantId: string, alertKey: string) => Promise<AlertEvent | undefined>;
}

/** What happened to one alert transition (for tests and logs). */
export interface RouteOutcome {
  alertKey: string;
  acknowledged: boolean;
  /** `${step}:${contactId}:${channel}` of every target handed to delivery this time. */
  sent: string[];
  /** SMS held back for a storm summary. */
  heldForStorm: boolean;
  nextStepAt?: EpochMs;
}

const conditionOf = (a: AlertEvent): string => `${a.tenantId}|${a.tag}|${a.rule}`;

/**
 * The notifier's decisions, framework-free: who hears about an alert
 * transition, how and when (routing policy, on-call chain, quiet hours, rate
 * limits, storm grouping), the escalation timers, and what acknowledgements
 * and provider callbacks do.
 *
 * Durable facts live in the two logs (deliveries, acknowledgements): every
 * decision re-reads them, so a timer firing twice, a redelivered alert, a
 * restart or another process's acknowledgement (the API) is always handled
 * by re-planning; the delivery log makes re-planning send nothing twice.
 * In memory only: the timers themselves, storm windows and rate budgets
 * (see docs/notifications.md, Limitations).
 */
export class AlertNotifier {
  private readonly scheduler: Scheduler;
  private readonly storm: StormGrouper;
  private readonly limiter: TenantRateLimiter;
  private readonly logger: NotificationsLogger;
  private readonly alerts = new Map<string, AlertEvent>();
  /** Open condition (tenant, tag, rule) → key of its latest transition. */
  private readonly open = new Map<string, string>();
  private readonly timers = new Map<string, () => void>();
  /** Alerts whose first SMS went into a storm summary instead. */
  private readonly heldSms = new Set<string>();
  /** Storm summary key → the alerts it stood for (acknowledging the summary acknowledges them). */
  private readonly stormMembers = new Map<string, string[]>();
  private stormTimer?: { at: EpochMs; cancel: () => void };
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly deps: AlertNotifierDeps) {
    this.scheduler = deps.scheduler ?? timerScheduler(deps.clock);
    this.storm = deps.storm ?? new StormGrouper();
    this.limiter = deps.rateLimiter ?? new TenantRateLimiter();
    this.logger = deps.logger ?? consoleLogger;
  }

  /** Routes one alert transition (idempotent: a redelivered event re-plans and sends nothing twice). */
  async handle(alert: AlertEvent): Promise<RouteOutcome> {
    this.alerts.set(alert.key, alert);
    const condition = conditionOf(alert);
    const previous = this.open.get(condition);
    if (
      alert.transition === 'reminder' &&
      previous !== undefined &&
      previous !== alert.key &&
      (await this.deps.acks.firstAck(previous)) !== undefined
    ) {
      // The episode was acknowledged; the alarm engine (another process) does not know and
      // keeps reminding. A reminder nobody needs is noise: not sent, and no escalation restarts.
      return { alertKey: alert.key, acknowledged: true, sent: [], heldForStorm: false };
    }
    let notified: Contact[] | undefined;
    if (previous && previous !== alert.key) {
      this.cancel(previous); // superseded: the newer transition carries the escalation now
      if (alert.transition === 'cleared' || alert.transition === 'downgraded')
        notified = await this.contactsNotified(previous, alert.tenantId);
    }
    if (alert.transition === 'cleared') this.open.delete(condition);
    else this.open.set(condition, alert.key);
    return this.track(this.route(alert.key, notified));
  }

  /** Acknowledges one alert (and, for a storm summary, every alert it stood for); stops their escalation. */
  async acknowledge(request: AckRequest): Promise<{ entry: StoredAck; first: boolean }> {
    const now = this.deps.clock.now();
    const result = await recordAck(this.deps.acks, request, now);
    this.cancel(request.alertKey);
    for (const member of this.stormMembers.get(request.alertKey) ?? []) {
      await recordAck(this.deps.acks, { ...request, alertKey: member }, now);
      this.cancel(member);
    }
    this.logger.log('alert acknowledged', {
      alertKey: request.alertKey,
      actor: request.actor,
      via: request.via,
      first: result.first,
    });
    return result;
  }

  /** `GET/POST /ack?token=`: verifies the signed link (AckLinkError when expired or forged), then acknowledges. */
  async acknowledgeByToken(token: string, comment?: string): Promise<{ entry: StoredAck; first: boolean }> {
    const claim = claimOfAckToken(this.deps.ackSecret, token, this.deps.clock.now());
    const record = (await this.deps.log.listByAlert(claim.alertKey))[0];
    const tenantId = record?.tenantId ?? this.alerts.get(claim.alertKey)?.tenantId ?? 'unknown';
    return this.acknowledge({
      alertKey: claim.alertKey,
      tenantId,
      actor: claim.contactId,
      via: 'link',
      ...(comment ? { comment } : {}),
    });
  }

  /**
   * A verified inbound SMS: "ACK 4821 comment" acknowledges the alert texted
   * to that number whose code matches (a bare "ACK": the latest one). Returns
   * the text to answer with.
   */
  async onInboundSms(sms: InboundSms): Promise<string> {
    const reply = parseSmsReply(sms.body);
    if (reply.kind !== 'ack') return 'Reply ACK and the code from the alert to acknowledge it.';
    const now = this.deps.clock.now();
    const recent = await this.deps.log.listRecentByAddress(
      'sms',
      sms.from,
      now - ALERT_NOTIFIER_DEFAULTS.smsReplyWindowMs,
      ALERT_NOTIFIER_DEFAULTS.smsReplyCandidates,
    );
    const match =
      reply.code === undefined
        ? recent[0]
        : recent.find((r) => ackCodeFor(this.deps.ackSecret, r.alertKey, r.contactId) === reply.code);
    if (!match)
      return reply.code === undefined
        ? 'No recent alert was sent to this number.'
        : `No alert sent to this number has code ${reply.code}. Check the code and reply again.`;
    const { first } = await this.acknowledge({
      alertKey: match.alertKey,
      tenantId: match.tenantId,
      actor: match.contactId,
      via: 'sms',
      ...(reply.comment ? { comment: reply.comment } : {}),
    });
    return first ? 'Acknowledged. Escalation stopped.' : 'Already acknowledged. Your reply was recorded.';
  }

  /** Keypad input on an alert call: 1 acknowledges. Returns the sentence to speak. */
  async onGather(input: GatherInput): Promise<string> {
    if (parseVoiceDigits(input.digits).kind !== 'ack') return 'The alert is not acknowledged. Goodbye.';
    const record = input.idempotencyKey ? await this.deps.log.get(input.idempotencyKey) : undefined;
    if (!record) return 'This alert could not be found. Please acknowledge it in the app. Goodbye.';
    await this.acknowledge({
      alertKey: record.alertKey,
      tenantId: record.tenantId,
      actor: record.contactId,
      via: 'voice',
    });
    return 'Thank you. The alert is acknowledged and escalation has stopped. Goodbye.';
  }

  /**
   * A verified, parsed provider status callback: recorded; a final
   * non-delivery of an unacknowledged alert escalates to the contact's next
   * channel (a new key, so never a duplicate).
   */
  async onStatusCallback(update: ProviderStatusUpdate): Promise<DeliveryRecord | undefined> {
    const { record, escalate } = await this.deps.delivery.recordProviderStatus(update);
    if (!record || !escalate) return record;
    const alert =
      this.alerts.get(record.alertKey) ?? (await this.deps.findAlert?.(record.tenantId, record.alertKey));
    const contact = this.deps.directory().contact(record.tenantId, record.contactId);
    if (!alert || !contact || (await this.deps.acks.firstAck(record.alertKey))) return record;
    await this.track(
      this.deps.delivery.deliverFallback({ alert, contact, failed: record, render: this.renderer(alert) }),
    );
    return record;
  }

  /**
   * After a restart: re-plans the alerts whose condition is still open (the
   * latest transition per tenant, tag and rule, unless `cleared`), which
   * re-arms their escalation timers and sends whatever was never sent (an
   * alert recorded just before a crash). Returns how many were re-planned.
   */
  async resumeOpen(events: readonly AlertEvent[]): Promise<number> {
    const latest = new Map<string, AlertEvent>();
    for (const e of events) {
      const seen = latest.get(conditionOf(e));
      if (!seen || e.emittedAt > seen.emittedAt) latest.set(conditionOf(e), e);
    }
    let n = 0;
    for (const e of latest.values()) {
      if (e.transition === 'cleared' || this.alerts.has(e.key)) continue;
      await this.handle(e);
      n++;
    }
    return n;
  }

  /**
   * Resumes deliveries a previous run left in `retry_wait` or with an expired
   * lease (a crash mid-send), for alerts it can still find.
   */
  async resumeDue(limit = 100): Promise<number> {
    const due = await this.deps.log.listDue(this.deps.clock.now(), limit);
    let resumed = 0;
    for (const r of due) {
      const alert = this.alerts.get(r.alertKey) ?? (await this.deps.findAlert?.(r.tenantId, r.alertKey));
      const contact = this.deps.directory().contact(r.tenantId, r.contactId);
      if (!alert || !contact) continue;
      resumed++;
      void this.track(
        this.deps.delivery.deliver({
          alert,
          targets: [{ contact, channel: r.channel }],
          render: this.renderer(alert),
        }),
      );
    }
    return resumed;
  }

  /** Resolves when the work started so far (timers that fired, fallbacks, resumed sends) has settled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Cancels every timer and waits for deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.stormTimer?.cancel();
    this.stormTimer = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  // ---- internals ----

  private async route(alertKey: string, notified?: Contact[]): Promise<RouteOutcome> {
    const alert = this.alerts.get(alertKey)!;
    const { clock, log, acks } = this.deps;
    const now = clock.now();
    const directory = this.deps.directory();
    const chain = directory.chain(alert, now);
    // Independent reads, concurrent: on the durable logs each is a database round trip on the alert's path.
    const [records, firstAck] = await Promise.all([log.listByAlert(alertKey), acks.firstAck(alertKey)]);
    const firstRoutedAt = records.reduce((m, r) => Math.min(m, r.createdAt), now);
    const acknowledged = firstAck !== undefined;
    const plan = planAlert({
      alert,
      policy: directory.policy(alert.tenantId),
      chain,
      firstRoutedAt,
      acknowledged,
      ...(notified && notified.length > 0 ? { notified } : {}),
      now,
    });
    let targets: RoutedTarget[] = notYetAttempted(alertKey, plan.targets, records);
    const isFirstSms = (t: RoutedTarget): boolean => t.channel === 'sms' && t.step === 0;
    let heldForStorm = this.heldSms.has(alertKey);
    if (!heldForStorm && targets.some(isFirstSms)) {
      const decision = this.storm.offer(alert, now);
      if (decision.kind === 'held') {
        heldForStorm = true;
        this.heldSms.add(alertKey);
        this.scheduleStormFlush(decision.flushAt);
      }
    }
    if (heldForStorm) targets = targets.filter((t) => !isFirstSms(t));
    const { targets: allowed, limited } = applyRateLimit(alert.tenantId, targets, this.limiter, now);
    if (limited.length > 0)
      this.logger.warn('tenant rate limit: SMS/voice replaced by email, others dropped', {
        tenantId: alert.tenantId,
        limited: limited.map((t) => `${t.contact.id}:${t.channel}`),
      });
    if (allowed.length > 0)
      await this.deps.delivery.deliver({ alert, targets: allowed, render: this.renderer(alert) });

    const next = [plan.nextStepAt, ...plan.deferred.map((d) => d.notBefore)].filter(
      (t): t is EpochMs => t !== undefined,
    );
    const nextAt = next.length > 0 ? Math.min(...next) : undefined;
    if (nextAt !== undefined && !acknowledged && this.open.get(conditionOf(alert)) === alertKey)
      this.schedule(alertKey, nextAt);
    return {
      alertKey,
      acknowledged,
      sent: allowed.map((t) => `${t.step}:${t.contact.id}:${t.channel}`),
      heldForStorm,
      ...(nextAt !== undefined ? { nextStepAt: nextAt } : {}),
    };
  }

  private schedule(alertKey: string, at: EpochMs): void {
    if (this.stopped) return;
    this.cancel(alertKey);
    const cancel = this.scheduler.at(at, () => {
      this.timers.delete(alertKey);
      void this.track(this.route(alertKey)).catch((err: unknown) =>
        this.logger.warn('escalation step failed; retried at the next alert or restart', {
          alertKey,
          error: String(err),
        }),
      );
    });
    this.timers.set(alertKey, cancel);
  }

  private cancel(alertKey: string): void {
    this.timers.get(alertKey)?.();
    this.timers.delete(alertKey);
  }

  private scheduleStormFlush(at: EpochMs): void {
    if (this.stopped || (this.stormTimer && this.stormTimer.at <= at)) return;
    this.stormTimer?.cancel();
    this.stormTimer = {
      at,
      cancel: this.scheduler.at(at, () => {
        this.stormTimer = undefined;
        void this.track(this.flushStorms()).catch((err: unknown) =>
          this.logger.warn('storm summary failed', { error: String(err) }),
        );
      }),
    };
  }

  private async flushStorms(): Promise<void> {
    const now = this.deps.clock.now();
    for (const group of this.storm.flushDue(now)) await this.sendStormSummary(group, now);
    const next = this.storm.nextFlushAt();
    if (next !== undefined) this.scheduleStormFlush(next);
  }

  /** One SMS for the whole group, to whoever is first in the chain of its first alert, under the group key. */
  private async sendStormSummary(group: StormGroup, now: EpochMs): Promise<void> {
    const event = stormAlertEvent(group);
    const open = group.alerts.filter((a) => !this.isClosed(a));
    this.stormMembers.set(
      group.key,
      group.alerts.map((a) => a.key),
    );
    this.alerts.set(group.key, event);
    const first = this.deps.directory().chain(group.alerts[0], now)[0];
    if (!first || open.length === 0) return;
    const base = this.renderer(event);
    const names = this.deps.names(group.alerts[0]);
    const render = (c: Contact): RenderedAlert => {
      const ackCode = ackCodeFor(this.deps.ackSecret, group.key, c.id);
      return {
        ...base(c),
        ackCode,
        sms: renderStormSms(group, {
          hubName: names.hubName ?? group.hub,
          tagName: (mac) => this.deps.names({ ...group.alerts[0], tag: mac }).tagName,
          timeZone: c.timeZone,
          ackCode,
        }),
      };
    };
    await this.deps.delivery.deliver({
      alert: event,
      targets: [{ contact: first, channel: 'sms' }],
      render,
    });
  }

  private isClosed(a: AlertEvent): boolean {
    return this.open.get(conditionOf(a)) !== a.key;
  }

  private async contactsNotified(alertKey: string, tenantId: string): Promise<Contact[]> {
    const directory = this.deps.directory();
    const ids = [...new Set((await this.deps.log.listByAlert(alertKey)).map((r) => r.contactId))];
    return ids.map((id) => directory.contact(tenantId, id)).filter((c): c is Contact => c !== undefined);
  }

  /** Renders `alert` for one contact with that contact's ack code and, when the public origin is known, ack link. */
  private renderer(alert: AlertEvent): (c: Contact) => RenderedAlert {
    const names = this.deps.names(alert);
    const now = this.deps.clock.now();
    const actionable = alert.transition !== 'cleared';
    return (c) =>
      renderAlert(alert, {
        ...names,
        contact: { name: c.name, timeZone: c.timeZone },
        ...(actionable ? { ackCode: ackCodeFor(this.deps.ackSecret, alert.key, c.id) } : {}),
        ...(actionable && this.deps.publicBaseUrl
          ? {
              ackUrl: createAckLink({
                secret: this.deps.ackSecret,
                publicBaseUrl: this.deps.publicBaseUrl,
                alertKey: alert.key,
                contactId: c.id,
                now,
              }),
            }
          : {}),
      });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = (): void => {
      this.inFlight.delete(p);
    };
    p.then(done, done);
    return p;
  }
}

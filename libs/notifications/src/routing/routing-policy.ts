import type { AlertEvent, AlertSeverity, EpochMs } from '@coldchain/domain';
import type { ChannelKind } from '../channels/notification-channel.js';
import type { DeliveryTarget } from '../delivery/delivery.service.js';
import { DEFAULTS } from '../notifications.defaults.js';
import type { Contact } from './contact.js';
import { quietHoursEndAt } from './quiet-hours.js';

/** How one tenant wants to be told. Stored per tenant; `DEFAULT_ROUTING_POLICY` otherwise. */
export interface TenantRoutingPolicy {
  /** Channels of the first notification, by severity. */
  channelsBySeverity: Readonly<Record<AlertSeverity, readonly ChannelKind[]>>;
  /** A critical alert unacknowledged this long after it was first routed also phones the first person. */
  voiceAfterUnackedMs: number;
  /** Then, every this long while still unacknowledged, the next person in the chain is alerted (all channels + voice). */
  nextPersonAfterUnackedMs: number;
}

export const DEFAULT_ROUTING_POLICY: TenantRoutingPolicy = {
  channelsBySeverity: { warning: ['email'], critical: ['email', 'sms'] },
  voiceAfterUnackedMs: DEFAULTS.routing.voiceAfterUnackedMs,
  nextPersonAfterUnackedMs: DEFAULTS.routing.nextPersonAfterUnackedMs,
};

export interface RoutingInput {
  alert: AlertEvent;
  policy: TenantRoutingPolicy;
  /** On-call first, then the profile's contacts (see `escalationChain`). */
  chain: readonly Contact[];
  /** Processing time this alert was first routed; escalation steps count from here. */
  firstRoutedAt: EpochMs;
  /** Acknowledged by anyone (API, link, SMS, keypad): escalation stops. */
  acknowledged: boolean;
  /** For `cleared`/`downgraded`: who was told about the alert, to tell them it is over. Default: the first in the chain. */
  notified?: readonly Contact[];
  now: EpochMs;
}

/** A delivery target with the escalation step that made it due (0 = first notification). */
export interface RoutedTarget extends DeliveryTarget {
  step: number;
}

export interface RoutingPlan {
  /**
   * Every target due by `now`, earlier steps included: the plan is
   * cumulative and the delivery log de-duplicates, so re-planning on a timer
   * or after a restart is always safe.
   */
  targets: RoutedTarget[];
  /** Warnings held back by the contact's quiet hours, with the instant they may go. */
  deferred: Array<{ target: RoutedTarget; notBefore: EpochMs }>;
  /** When to plan again for the next escalation step; undefined when none is pending. */
  nextStepAt?: EpochMs;
}

/**
 * Who hears about one alert transition, how, and when the next escalation
 * step falls due. Pure: no I/O, no clock read.
 *
 * Steps for an unacknowledged critical alert, with chain [p0, p1, p2…]:
 *   0 at once:                         p0 on the critical channels (email + SMS);
 *   1 after voiceAfterUnackedMs:       p0 by voice call;
 *   k ≥ 2 after voiceAfter + (k−1)·nextPersonAfter: p(k−1) on the critical channels and by voice.
 * Warnings go to p0 on the warning channels, held back during p0's quiet
 * hours; they never escalate. `cleared` and `downgraded` are emailed to
 * whoever was notified.
 */
export function planAlert(input: RoutingInput): RoutingPlan {
  const { alert, policy, chain, now } = input;
  const first = chain[0];
  if (!first) return { targets: [], deferred: [] };

  if (alert.transition === 'cleared' || alert.transition === 'downgraded') {
    const told = input.notified && input.notified.length > 0 ? input.notified : [first];
    return { targets: told.map((contact) => ({ contact, channel: 'email', step: 0 })), deferred: [] };
  }

  const initial = policy.channelsBySeverity[alert.severity].map((channel): RoutedTarget => ({
    contact: first,
    channel,
    step: 0,
  }));

  if (alert.severity === 'warning') {
    const quietUntil = quietHoursEndAt(first, now);
    return quietUntil === undefined
      ? { targets: initial, deferred: [] }
      : { targets: [], deferred: initial.map((target) => ({ target, notBefore: quietUntil })) };
  }

  if (input.acknowledged) return { targets: initial, deferred: [] };

  const stepDueAt = (step: number): EpochMs =>
    step === 0
      ? input.firstRoutedAt
      : input.firstRoutedAt + policy.voiceAfterUnackedMs + (step - 1) * policy.nextPersonAfterUnackedMs;
  const lastStep = chain.length; // step 1 is p0's call; step k ≥ 2 is p(k−1)
  const targets = [...initial];
  let step = 1;
  for (; step <= lastStep && stepDueAt(step) <= now; step++) {
    if (step === 1) {
      targets.push({ contact: first, channel: 'voice', step });
    } else {
      const person = chain[step - 1];
      for (const channel of new Set([...policy.channelsBySeverity.critical, 'voice' as const]))
        targets.push({ contact: person, channel, step });
    }
  }
  return { targets, deferred: [], ...(step <= lastStep ? { nextStepAt: stepDueAt(step) } : {}) };
}

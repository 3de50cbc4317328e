import type { EpochMs } from '@coldchain/domain';
import type { ChannelKind } from '../channels/notification-channel.js';
import { DEFAULTS } from '../notifications.defaults.js';
import type { RoutedTarget } from './routing-policy.js';

export interface RateLimits {
  windowMs: number;
  /** Messages per window per tenant and channel; a channel not listed is unlimited. */
  perWindow: Partial<Record<ChannelKind, number>>;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  windowMs: DEFAULTS.routing.rateLimitWindowMs,
  perWindow: DEFAULTS.routing.rateLimitPerWindow,
};

/**
 * Per-tenant, per-channel sliding-window budget. Time comes from the caller
 * (`now`), so behaviour is deterministic; state is in memory and per process
 * (each notifier instance enforces its share; a shared budget needs the
 * store). Memory: at most `limit` timestamps per (tenant, channel).
 */
export class TenantRateLimiter {
  private readonly sent = new Map<string, EpochMs[]>();

  constructor(private readonly limits: RateLimits = DEFAULT_RATE_LIMITS) {}

  /** Takes one unit of budget if available. */
  tryTake(tenantId: string, channel: ChannelKind, now: EpochMs): boolean {
    const limit = this.limits.perWindow[channel];
    if (limit === undefined) return true;
    const key = `${tenantId}|${channel}`;
    const kept = (this.sent.get(key) ?? []).filter((t) => t > now - this.limits.windowMs);
    if (kept.length >= limit) {
      this.sent.set(key, kept);
      return false;
    }
    kept.push(now);
    this.sent.set(key, kept);
    return true;
  }
}

/**
 * Applies the tenant's budget to a plan's targets: an SMS or call over budget
 * is replaced by an email to the same contact (free, and never silent);
 * other channels over budget are dropped and reported.
 */
export function applyRateLimit(
  tenantId: string,
  targets: readonly RoutedTarget[],
  limiter: TenantRateLimiter,
  now: EpochMs,
): { targets: RoutedTarget[]; limited: RoutedTarget[] } {
  const out: RoutedTarget[] = [];
  const limited: RoutedTarget[] = [];
  for (const t of targets) {
    if (limiter.tryTake(tenantId, t.channel, now)) {
      out.push(t);
      continue;
    }
    limited.push(t);
    const hasEmail = [...targets, ...out].some((x) => x.contact.id === t.contact.id && x.channel === 'email');
    if ((t.channel === 'sms' || t.channel === 'voice') && !hasEmail) out.push({ ...t, channel: 'email' });
  }
  return { targets: out, limited };
}

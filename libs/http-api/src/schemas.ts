import { z } from 'zod';
import { ROLES } from '@coldchain/identity';

/**
 * Request and response schemas of the operator API. Requests are strict:
 * an unknown field is a 400 naming it, so a typo never passes silently.
 */

const name = z.string().trim().min(1, 'must not be empty').max(120, 'at most 120 characters');
const role = z.enum(ROLES as [string, ...string[]]);

export const loginBody = z.strictObject({
  email: z.string().trim().min(1, 'required').max(254),
  password: z.string().min(1, 'required').max(256),
});
export const refreshBody = z.strictObject({ refreshToken: z.string().min(1, 'required').max(512) });
export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1, 'required').max(256),
  newPassword: z.string().min(1, 'required').max(256),
});
export const tokenPair = z.object({
  accessToken: z.string(),
  expiresIn: z.number().int().describe('seconds'),
  refreshToken: z.string(),
  mustChangePassword: z.boolean(),
});

export const createUserBody = z.strictObject({ email: z.email('expected an email address').max(254), role });
export const updateUserBody = z
  .strictObject({ role: role.optional(), disabled: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined, 'give role or disabled');
export const userView = z.object({
  id: z.string(),
  email: z.string(),
  role,
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
});
export const userWithPassword = z.object({
  user: userView,
  temporaryPassword: z.string().describe('shown once; the user must change it at first login'),
});

export const registerHubBody = z.strictObject({
  imei: z.string().regex(/^\d{15}$/, 'expected 15 digits'),
  name,
});
export const hubView = z.object({
  imei: z.string(),
  tenantId: z.string(),
  name: z.string(),
  status: z.enum(['online', 'offline']).optional(),
  statusAt: z.number().int().optional().describe('epoch ms'),
});
export const registeredHub = z.object({
  hub: hubView,
  secret: z
    .string()
    .describe('the MQTT password of the hub (username = IMEI); shown once, stored as an HMAC'),
});
export const hubSecret = z.object({
  imei: z.string(),
  secret: z.string().describe('the MQTT password of the hub; shown once, stored as an HMAC'),
});

export const registerTagBody = z.strictObject({
  mac: z.string().max(32).describe('AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff'),
  name,
  profileId: z.string().min(1).max(120).optional(),
});
export const updateTagBody = z
  .strictObject({ name: name.optional(), profileId: z.string().min(1).max(120).nullable().optional() })
  .refine((b) => b.name !== undefined || b.profileId !== undefined, 'give name or profileId');
export const tagView = z.object({
  mac: z.string(),
  tenantId: z.string(),
  name: z.string(),
  profileId: z.string().optional(),
});

export const profileBody = z.strictObject({
  name,
  temperature: z.strictObject({
    min: z.number().describe('°C, inclusive'),
    max: z.number().describe('°C, inclusive'),
  }),
  rules: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('the alarm rules (docs/alarm-engine.md), checked by validateProfile'),
});
export const profileView = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  version: z.number().int(),
  temperature: z.object({ min: z.number(), max: z.number() }),
  rules: z.record(z.string(), z.unknown()).optional(),
});

export const auditEntry = z.object({
  id: z.number().int(),
  actorId: z.string(),
  actorEmail: z.string(),
  action: z.string(),
  objectType: z.enum(['user', 'hub', 'tag', 'profile', 'trip', 'tenant']),
  objectId: z.string(),
  at: z.number().int().describe('epoch ms'),
  detail: z.unknown(),
});
export const historyQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const auditQuery = z.strictObject({
  objectType: z.enum(['user', 'hub', 'tag', 'profile', 'trip', 'tenant']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** True for an IANA time zone name this runtime knows. */
export const isTimeZone = (name: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
};
export const timeZone = z.string().max(64).refine(isTimeZone, 'not an IANA time zone (e.g. Europe/Lisbon)');

/** A tenant as its own users see it (`GET /tenant`): settings and, once closed, until when it stays readable. */
export const tenantView = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string().optional(),
  positionsRetentionDays: z.number().int().optional(),
  createdAt: z.number().int().describe('epoch ms'),
  closedAt: z.number().int().optional().describe('epoch ms; set once the tenant is closed'),
  closedBy: z.string().optional().describe('the platform admin who closed it'),
  readOnlyUntil: z
    .number()
    .int()
    .optional()
    .describe('epoch ms: a closed tenant’s users may log in, read only (export), until then'),
});

// Platform administration (platform admins only).
export const createTenantBody = z.strictObject({
  id: z
    .string()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
      'expected 1–40 lower-case letters, digits and inner hyphens',
    )
    .optional()
    .describe('default: derived from the name, e.g. acme-cold-chain-k3x9q2'),
  name,
  timeZone: timeZone.optional(),
  owner: z.strictObject({ email: z.email('expected an email address').max(254) }),
});
export const closeTenantBody = z.strictObject({
  readOnlyDays: z
    .number()
    .int('expected an integer')
    .min(0, 'expected ≥ 0')
    .max(365, 'expected ≤ 365')
    .optional()
    .describe('days its users may still log in, read only, to export; default TENANT_CLOSED_READ_ONLY_DAYS'),
  reason: z.string().trim().min(1, 'must not be empty').max(500, 'at most 500 characters').optional(),
});
export const platformTenantView = tenantView.extend({
  status: z.enum(['open', 'read_only', 'closed']),
});
export const createdTenant = z.object({
  tenant: platformTenantView,
  owner: userView,
  temporaryPassword: z.string().describe('the owner’s; shown once, to be changed at first login'),
});

// Telemetry, alerts and reports (answers only: stored records and what reports compute from them).

const epochMs = (what: string) => z.number().int().describe(`${what}, epoch ms`);

/** A GPS fix of a hub. */
export const positionView = z.object({
  lat: z.number().describe('degrees'),
  lon: z.number().describe('degrees'),
  alt: z.number().optional().describe('metres'),
  speed: z.number().optional().describe('km/h'),
  hdop: z.number().optional(),
  fixAt: epochMs('when the fix was taken'),
});
/** A hub's position as stored. */
export const storedPositionView = positionView.extend({
  tenantId: z.string(),
  hub: z.string().describe('IMEI'),
});

/** One stored reading of a tag. */
export const readingView = z.object({
  tenantId: z.string(),
  tag: z.string().describe('MAC, AA:BB:CC:DD:EE:FF'),
  hub: z.string().describe('IMEI of the hub that relayed it'),
  ts: epochMs('measured'),
  seq: z.number().int().optional(),
  temperature: z.number().optional().describe('°C'),
  humidity: z.number().optional().describe('%RH'),
  co2: z.number().optional().describe('ppm'),
  door: z.enum(['open', 'closed']).optional(),
  battery: z.number().optional().describe('%'),
  rssi: z.number().optional().describe('dBm'),
  profileId: z.string().optional(),
  receivedAt: epochMs('gateway time'),
});

export const alertTransition = z.enum(['raised', 'escalated', 'downgraded', 'reminder', 'cleared']);
/** One alert transition as the alarm engine emitted it (AlertEvent, docs/alarm-engine.md). */
export const alertEventView = z.object({
  v: z.literal(1),
  key: z.string().describe('idempotency key: the same transition always gets the same key'),
  tenantId: z.string(),
  tag: z.string().describe('MAC'),
  hub: z.string().describe('IMEI of the hub that relayed the reading'),
  profileId: z.string(),
  profileVersion: z.number().int(),
  rule: z.string().describe('which rule fired, e.g. temperature.high'),
  severity: z.enum(['warning', 'critical']),
  transition: alertTransition,
  startedAt: epochMs('measured time the condition began'),
  endedAt: epochMs('measured time the condition ended (on cleared)').optional(),
  value: z.number().optional().describe('the value that caused this transition'),
  bound: z.number().optional().describe('the bound it was compared with'),
  unit: z.string().optional(),
  position: positionView.optional().describe('last known position of the hub'),
  late: z.boolean().describe('the reading arrived well after it was measured'),
  emittedAt: epochMs('processing time the event was produced'),
});

const providerStatus = z.enum(['queued', 'sent', 'delivered', 'undelivered', 'failed']);

/** One acknowledgement of an alert, as recorded. */
export const ackView = z.object({
  id: z.number().int(),
  alertKey: z.string(),
  tenantId: z.string(),
  actor: z.string().describe('a contact id (link, SMS, keypad) or a user’s email (API)'),
  via: z.enum(['api', 'link', 'sms', 'voice']),
  comment: z.string().optional(),
  at: epochMs('received'),
});

/** One notification delivery of an alert: one (alert transition, contact, channel), docs/notifications.md. */
export const deliveryView = z.object({
  idempotencyKey: z.string(),
  alertKey: z.string(),
  tenantId: z.string(),
  contactId: z.string(),
  channel: z.enum(['email', 'sms', 'voice', 'webhook', 'outbox']),
  address: z.string().describe('email address, E.164 number or webhook URL actually used'),
  escalatedFrom: z.string().optional().describe('key of the delivery whose failure led to this one'),
  state: z.enum(['sending', 'retry_wait', 'sent', 'failed']),
  attempts: z.number().int().describe('attempts started so far, the current one included'),
  createdAt: epochMs('created'),
  updatedAt: epochMs('last changed'),
  leaseUntil: epochMs('the current attempt’s lease ends').optional(),
  nextAttemptAt: epochMs('next retry due').optional(),
  provider: z.enum(['smtp', 'twilio', 'webhook', 'outbox']).optional(),
  providerMessageId: z.string().optional(),
  lastError: z
    .object({
      code: z.string(),
      message: z.string(),
      retriable: z.boolean(),
      providerCode: z.union([z.string(), z.number()]).optional(),
    })
    .optional(),
  providerStatus: providerStatus.optional().describe('the furthest status reached'),
  statusHistory: z
    .array(
      z.object({
        status: providerStatus,
        raw: z.string().describe('the vendor’s own word'),
        at: epochMs('received'),
        errorCode: z.string().optional(),
      }),
    )
    .describe('every provider callback, in arrival order'),
});

/** A profile's allowed temperature range, °C; a side is absent when the tag has no profile. */
export const bandView = z.object({ low: z.number().optional(), high: z.number().optional() });

/** One chart point: a raw reading (`c` alone) or a bucket (`c` its mean, with `min` and `max`). */
export const seriesPointView = z.object({
  t: epochMs('reading time or bucket start'),
  c: z.number().optional().describe('°C; absent when the reading or bucket has no temperature'),
  min: z.number().optional().describe('°C, buckets only'),
  max: z.number().optional().describe('°C, buckets only'),
  humidity: z.number().optional().describe('%RH'),
});

export const excursionView = z.object({
  side: z.enum(['above', 'below']),
  bound: z.number().describe('the bound crossed, °C'),
  startedAt: epochMs('first reading beyond the bound'),
  endedAt: epochMs('first reading back within the band; absent while still beyond').optional(),
  durationMs: z.number().describe('covered time beyond the bound, ms (gaps excluded)'),
  peakC: z.number().describe('the furthest value beyond the bound, °C'),
});

/** Temperature statistics of one tag over a window (sample-and-hold; see the route). */
export const statisticsView = z.object({
  samples: z.number().int(),
  firstAt: epochMs('first sample').optional(),
  lastAt: epochMs('last sample').optional(),
  minC: z.number().optional(),
  maxC: z.number().optional(),
  meanC: z.number().optional(),
  mktC: z.number().optional().describe('mean kinetic temperature, °C'),
  coveredMs: z.number().describe('time covered by intervals up to maxGapMinutes, ms'),
  inRangeMs: z.number(),
  aboveMs: z.number(),
  belowMs: z.number(),
  gaps: z.number().int().describe('intervals longer than maxGapMinutes'),
  gapMs: z.number(),
  excursions: z.array(excursionView),
});

export const listOf = <T extends z.ZodType>(key: string, item: T) => z.object({ [key]: z.array(item) });

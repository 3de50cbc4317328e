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

export const listOf = <T extends z.ZodType>(key: string, item: T) => z.object({ [key]: z.array(item) });

import { z } from 'zod';
import type { AlertEvent, EpochMs } from '@coldchain/domain';
import { InvalidInputError } from '@coldchain/errors';
import { CHANNEL_KINDS, type ChannelKind } from '../channels/notification-channel.js';
import type { Contact } from './contact.js';
import { parseHhMm } from './local-time.js';
import { escalationChain, type OnCallRotation } from './on-call.js';
import { DEFAULT_ROUTING_POLICY, type TenantRoutingPolicy } from './routing-policy.js';

/**
 * Who may be told about a tenant's alerts, and how: the notifier's view of
 * contacts, rotations and policies. Read-only and synchronous (held in memory,
 * reloaded by its owner); time is an argument.
 */
export interface RoutingDirectory {
  /** The escalation chain for `alert` at `at`: on call now, then the profile's contacts, each once. */
  chain(alert: AlertEvent, at: EpochMs): Contact[];
  policy(tenantId: string): TenantRoutingPolicy;
  contact(tenantId: string, contactId: string): Contact | undefined;
}

const hhmm = z.string().refine((v) => {
  try {
    parseHhMm(v);
    return true;
  } catch {
    return false;
  }
}, 'expected HH:MM (24 h)');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone like Europe/Berlin');
const channel = z.enum(CHANNEL_KINDS as [ChannelKind, ...ChannelKind[]]);

const contactSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.string().email().optional(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'expected E.164')
    .optional(),
  timeZone: timeZone.default('UTC'),
  quietHours: z.object({ start: hhmm, end: hhmm }).optional(),
});

const tenantSchema = z.object({
  contacts: z.array(contactSchema).default([]),
  rotation: z
    .object({
      shifts: z
        .array(
          z.object({
            contactId: z.string(),
            days: z.array(z.number().int().min(0).max(6)),
            start: hhmm,
            end: hhmm,
          }),
        )
        .default([]),
      fallbackContactIds: z.array(z.string()).optional(),
    })
    .optional(),
  /** Profile id → contact ids, in escalation order. */
  profiles: z.record(z.string(), z.array(z.string())).default({}),
  /** Contacts of profiles not listed in `profiles`. */
  defaultContacts: z.array(z.string()).default([]),
  policy: z
    .object({
      channelsBySeverity: z.object({ warning: z.array(channel), critical: z.array(channel) }).optional(),
      voiceAfterUnackedMs: z.number().int().positive().optional(),
      nextPersonAfterUnackedMs: z.number().int().positive().optional(),
    })
    .optional(),
});

/** The routing file (NOTIFY_ROUTING_FILE), YAML or JSON: `{ tenants: { <tenantId>: TenantRouting } }`. */
export const routingFileSchema = z.object({ tenants: z.record(z.string(), tenantSchema) });
export type RoutingFile = z.input<typeof routingFileSchema>;
type TenantRouting = z.output<typeof tenantSchema>;

/**
 * A RoutingDirectory from a parsed routing file. Throws InvalidInputError
 * naming every problem (path: message), so a bad file stops the boot.
 * `defaults` fills policy fields a tenant does not set (the env's delays).
 */
export function routingDirectoryFrom(
  input: unknown,
  defaults: Partial<TenantRoutingPolicy> = {},
): RoutingDirectory {
  const parsed = routingFileSchema.safeParse(input);
  if (!parsed.success)
    throw new InvalidInputError(
      `routing file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  const tenants = new Map<string, { t: TenantRouting; contacts: Contact[]; policy: TenantRoutingPolicy }>();
  for (const [tenantId, t] of Object.entries(parsed.data.tenants)) {
    const contacts: Contact[] = t.contacts.map((c) => ({ ...c, tenantId }));
    const known = new Set(contacts.map((c) => c.id));
    const referenced = [
      ...Object.values(t.profiles).flat(),
      ...t.defaultContacts,
      ...(t.rotation?.shifts.map((s) => s.contactId) ?? []),
      ...(t.rotation?.fallbackContactIds ?? []),
    ];
    const unknown = [...new Set(referenced.filter((id) => !known.has(id)))];
    if (unknown.length > 0)
      throw new InvalidInputError(
        `routing file: tenant ${tenantId} refers to unknown contacts ${unknown.join(', ')}`,
      );
    const base = { ...DEFAULT_ROUTING_POLICY, ...defaults };
    tenants.set(tenantId, {
      t,
      contacts,
      policy: {
        channelsBySeverity: t.policy?.channelsBySeverity ?? base.channelsBySeverity,
        voiceAfterUnackedMs: t.policy?.voiceAfterUnackedMs ?? base.voiceAfterUnackedMs,
        nextPersonAfterUnackedMs: t.policy?.nextPersonAfterUnackedMs ?? base.nextPersonAfterUnackedMs,
      },
    });
  }
  return {
    chain(alert, at) {
      const entry = tenants.get(alert.tenantId);
      if (!entry) return [];
      const ids = entry.t.profiles[alert.profileId] ?? entry.t.defaultContacts;
      const byId = new Map(entry.contacts.map((c) => [c.id, c]));
      const profileContacts = ids.map((id) => byId.get(id)).filter((c): c is Contact => c !== undefined);
      const rotation = entry.t.rotation as OnCallRotation | undefined; // days validated 0–6 above
      return escalationChain(rotation, profileContacts, entry.contacts, at);
    },
    policy: (tenantId) => tenants.get(tenantId)?.policy ?? { ...DEFAULT_ROUTING_POLICY, ...defaults },
    contact: (tenantId, contactId) => tenants.get(tenantId)?.contacts.find((c) => c.id === contactId),
  };
}

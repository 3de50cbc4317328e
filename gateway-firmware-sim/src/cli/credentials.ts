import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isValidImei, normalizeMac } from '@coldchain/contract';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { describeZodIssues } from '../scenario/scenario.loader.js';

/**
 * DATA_DIR/demo-credentials.json as the embedded platform writes it
 * by its demo seed: hubs with their secrets, tags with their hub and profile.
 * Users are ignored here. Unknown keys are tolerated (the platform may add some).
 */
const credentialsSchema = z.object({
  hubs: z
    .array(
      z.object({
        imei: z.string().refine(isValidImei, 'must be a 15-digit IMEI with a valid Luhn digit'),
        secret: z.string().min(1),
      }),
    )
    .min(1),
  tags: z
    .array(
      z.object({
        mac: z.string().refine((m) => normalizeMac(m) !== undefined, 'must be a MAC address'),
        hub: z.string(),
        profile: z
          .object({ name: z.string(), temperature: z.object({ min: z.number(), max: z.number() }) })
          .optional(),
      }),
    )
    .default([]),
});

export interface DemoCredentials {
  hubs: Array<{ imei: string; secret: string }>;
  tags: Array<{ mac: string; hub: string; setpointC?: number; profile?: string }>;
}

export function loadCredentialsFile(path: string): DemoCredentials {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InvalidOptionError(`cannot read credentials ${path}: ${(err as Error).message}`);
  }
  const parsed = credentialsSchema.safeParse(doc);
  if (!parsed.success)
    throw new InvalidOptionError(`credentials ${path} are invalid`, describeZodIssues(parsed.error));
  return {
    hubs: parsed.data.hubs,
    tags: parsed.data.tags.map((t) => ({
      mac: normalizeMac(t.mac)!,
      hub: t.hub,
      // A tag's set point sits mid-band of its product profile (a 2–8 °C vaccine profile runs at 5 °C).
      setpointC: t.profile ? (t.profile.temperature.min + t.profile.temperature.max) / 2 : undefined,
      profile: t.profile?.name,
    })),
  };
}

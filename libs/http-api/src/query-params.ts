import { z } from 'zod';
import { normalizeMac, parseContractTime } from '@coldchain/contract';

/** Limits of the read API, units in the names. */
export const READ_API_DEFAULTS = {
  defaultWindowMs: 24 * 3_600_000, // 24 h
  maxWindowMs: 366 * 24 * 3_600_000, // 1 year
  defaultLimit: 1000,
  maxLimit: 10_000,
  /**
   * Tags per page of `GET /readings/latest`. 500 readings are about 80 kB of
   * JSON; the whole of a 10,000-tag tenant in one answer was 1.6 MB and took
   * p99 1.3 s under load (docs/api.md, Performance).
   */
  latestDefaultLimit: 500,
  latestMaxLimit: 2000,
};

/** A tag MAC query parameter in any spelling (`AA:BB:…`, `aa-bb-…`, `aabb.ccdd.eeff`, bare hex), normalised. */
export const mac = z
  .string()
  .max(32, 'not a MAC address')
  .transform((v, ctx) => {
    const normalized = normalizeMac(v);
    if (normalized === undefined) ctx.addIssue({ code: 'custom', message: 'not a MAC address' });
    return normalized ?? '';
  });

/** A page size query parameter: an integer in [1, max], `fallback` when absent. */
export const pageLimit = (fallback: number, max: number) =>
  z.coerce
    .number({ message: 'expected an integer' })
    .int('expected an integer')
    .min(1, 'expected ≥ 1')
    .max(max, `expected ≤ ${max}`)
    .default(fallback);

/** A time query parameter: ISO-8601 with a zone, or epoch ms, within the contract's plausible window. */
export const time = z
  .string()
  .transform((v, ctx) => {
    const ms = parseContractTime(/^\d+$/.test(v) ? Number(v) : v);
    if (ms === undefined)
      ctx.addIssue({ code: 'custom', message: 'expected ISO-8601 with zone or epoch ms, 2000–2100' });
    return ms ?? 0;
  })
  .optional();

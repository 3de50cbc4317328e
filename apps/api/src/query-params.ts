import { z } from 'zod';
import { parseContractTime } from '@coldchain/contract';

/** Limits of the read API, units in the names. */
export const READ_API_DEFAULTS = {
  defaultWindowMs: 24 * 3_600_000, // 24 h
  maxWindowMs: 366 * 24 * 3_600_000, // 1 year
  defaultLimit: 1000,
  maxLimit: 10_000,
};

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

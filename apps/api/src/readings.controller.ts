import { Controller, Get, Inject, Param, Query, Req, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { normalizeMac, parseContractTime } from '@coldchain/contract';
import { InvalidInputError, NotFoundError } from '@coldchain/errors';
import type { MetadataCache, MetadataStorePort } from '@coldchain/metadata-store';
import { METADATA_CACHE, METADATA_STORE, TELEMETRY_STORE } from '@coldchain/runtime';
import type { TelemetryStorePort } from '@coldchain/telemetry-store';
import { BasicAuthGuard, type AuthenticatedRequest } from './basic-auth.guard.js';

/** Limits of the read API, units in the names. */
export const READ_API_DEFAULTS = {
  defaultWindowMs: 24 * 3_600_000, // 24 h
  maxWindowMs: 366 * 24 * 3_600_000, // 1 year
  defaultLimit: 1000,
  maxLimit: 10_000,
};

const time = z
  .string()
  .transform((v, ctx) => {
    const ms = parseContractTime(/^\d+$/.test(v) ? Number(v) : v);
    if (ms === undefined)
      ctx.addIssue({ code: 'custom', message: 'expected ISO-8601 with zone or epoch ms, 2000–2100' });
    return ms ?? 0;
  })
  .optional();

const readingsQuery = z.object({
  from: time,
  to: time,
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(READ_API_DEFAULTS.maxLimit)
    .default(READ_API_DEFAULTS.defaultLimit),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const out = schema.safeParse(input);
  if (out.success) return out.data;
  const problems = out.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
  throw new InvalidInputError(`invalid request: ${problems.join('; ')}`, problems);
}

/** Read access to a tenant's telemetry: every query is scoped by the caller's tenant. */
@Controller('api/v1')
@UseGuards(BasicAuthGuard)
export class ReadingsController {
  constructor(
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStorePort,
    @Inject(METADATA_STORE) private readonly metadata: MetadataStorePort,
    @Inject(METADATA_CACHE) private readonly cache: MetadataCache,
  ) {}

  /** Readings of one tag, oldest first. `from`/`to`: ISO-8601 or epoch ms (default: the last 24 h). */
  @Get('tags/:mac/readings')
  async readings(@Req() req: AuthenticatedRequest, @Param('mac') rawMac: string, @Query() query: unknown) {
    const tenantId = req.user!.tenantId;
    const mac = normalizeMac(rawMac);
    if (!mac)
      throw new InvalidInputError(`mac: "${rawMac}" is not a MAC address`, ['mac: not a MAC address']);
    // Another tenant's tag is "not found", not "forbidden": no enumeration.
    if (!this.cache.tag(tenantId, mac)) throw new NotFoundError(`tag ${mac}`);
    const q = parse(readingsQuery, query);
    const to = q.to ?? Date.now();
    const from = q.from ?? to - READ_API_DEFAULTS.defaultWindowMs;
    if (from >= to)
      throw new InvalidInputError('invalid request: from must be before to', ['from: must be before to']);
    if (to - from > READ_API_DEFAULTS.maxWindowMs)
      throw new InvalidInputError('invalid request: window longer than one year', [
        'to: window longer than one year',
      ]);
    const readings = await this.telemetry.readings({ tenantId, tag: mac, from, to, limit: q.limit });
    return { tag: mac, from, to, count: readings.length, readings };
  }

  /** The newest reading of every tag of the caller's tenant. */
  @Get('readings/latest')
  async latest(@Req() req: AuthenticatedRequest) {
    return { readings: await this.telemetry.latest(req.user!.tenantId) };
  }

  /** The tenant's alert transitions, newest first. */
  @Get('alerts')
  async alerts(@Req() req: AuthenticatedRequest, @Query() query: unknown) {
    const { limit } = parse(
      z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      query,
    );
    return { alerts: await this.metadata.listAlerts(req.user!.tenantId, limit) };
  }
}

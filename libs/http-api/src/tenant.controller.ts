import { Body, Controller, Get, Inject, Patch, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { Clock } from '@coldchain/domain';
import { NotFoundError } from '@coldchain/errors';
import { ADMINS } from '@coldchain/identity';
import {
  type TenantRepository,
  TENANT_REPOSITORY,
  type AuditRepository,
  AUDIT_REPOSITORY,
} from '@coldchain/metadata-store';
import { Roles, SessionAuthGuard, principalOf, type SessionRequest } from './auth/session-auth.guard.js';
import { Doc } from './openapi.js';
import { tenantView, timeZone } from './schemas.js';
import { parse } from './validation.js';
import { CLOCK } from '@coldchain/config';

const tenantPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(120).optional(),
    timeZone: timeZone.nullable().optional(),
    positionsRetentionDays: z.number().int().min(1).max(3650).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one field');

/**
 * The caller's own tenant (customer account): its name, the time zone its
 * reports use, and a positions retention shorter than the platform's, if it
 * wants its vehicles' tracks gone sooner. Only ever the caller's tenant. A
 * closed tenant shows when it was closed and until when it stays readable;
 * its settings no longer change (403 `tenant_closed`).
 */
@ApiTags('tenant')
@Controller('api/v1/tenant')
@UseGuards(SessionAuthGuard)
export class TenantController {
  constructor(
    @Inject(TENANT_REPOSITORY) private readonly tenants: TenantRepository,
    @Inject(AUDIT_REPOSITORY) private readonly audit: AuditRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Doc({
    summary: 'The caller’s tenant and its settings',
    ok: { description: 'the tenant', schema: tenantView },
    errors: [401, 403],
  })
  async get(@Req() req: SessionRequest) {
    const tenant = await this.tenants.findTenant(principalOf(req).tenantId);
    if (!tenant) throw new NotFoundError('tenant');
    return tenant;
  }

  @Patch()
  @Roles(...ADMINS)
  @Doc({
    summary: 'Change the tenant’s name, report time zone or positions retention (owner)',
    description:
      '`positionsRetentionDays` shortens how long GPS positions are kept (never beyond the platform’s ' +
      'POSITIONS_RETENTION_DAYS); `null` clears a setting. Audited.',
    body: tenantPatch,
    ok: { description: 'the tenant', schema: tenantView },
    errors: [400, 401, 403],
  })
  async update(@Req() req: SessionRequest, @Body() body: unknown) {
    const actor = principalOf(req);
    const patch = parse(tenantPatch, body);
    const tenant = await this.tenants.updateTenant(actor.tenantId, patch);
    if (!tenant) throw new NotFoundError('tenant');
    await this.audit.recordAudit({
      tenantId: actor.tenantId,
      actorId: actor.userId,
      actorEmail: actor.email,
      action: 'tenant.update',
      objectType: 'tenant',
      objectId: actor.tenantId,
      at: this.clock.now(),
      detail: patch,
    });
    return tenant;
  }
}

import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TenantsService } from '@coldchain/identity';
import {
  PlatformRoute,
  SessionAuthGuard,
  platformAdminOf,
  type SessionRequest,
} from '../auth/session-auth.guard.js';
import { Doc } from '../openapi.js';
import {
  auditEntry,
  closeTenantBody,
  createTenantBody,
  createdTenant,
  historyQuery,
  listOf,
  platformTenantView,
} from '../schemas.js';
import { parse } from '../validation.js';

/**
 * Tenant administration, for platform admins only (tenants' users get 403):
 * open a tenant with its first owner, list tenants, close one. A thin door
 * onto @coldchain/identity's TenantsService; see docs/api.md, Tenant administration.
 */
@ApiTags('platform')
@Controller('api/v1/platform/tenants')
@UseGuards(SessionAuthGuard)
@PlatformRoute()
export class PlatformTenantsController {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  @Get()
  @Doc({
    summary: 'List every tenant, open and closed (platform admin)',
    ok: { description: 'tenants by id', schema: listOf('tenants', platformTenantView) },
    errors: [401, 403],
  })
  async list(@Req() req: SessionRequest) {
    return { tenants: await this.tenants.list(platformAdminOf(req)) };
  }

  @Post()
  @Doc({
    summary: 'Open a tenant with its first owner (platform admin)',
    description:
      'Creates the tenant and its owner in one step. The owner’s temporary password is returned once and must be ' +
      'changed at first login. The platform admin does not become a member of the tenant. Audited in the ' +
      'tenant’s trail (`tenant.create`, `user.create`).',
    body: createTenantBody,
    ok: { status: 201, description: 'created', schema: createdTenant },
    errors: [400, 401, 403, 409],
  })
  async create(@Req() req: SessionRequest, @Body() body: unknown) {
    const input = parse(createTenantBody, body);
    return this.tenants.create(platformAdminOf(req), {
      ...(input.id !== undefined ? { id: input.id } : {}),
      name: input.name,
      ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
      ownerEmail: input.owner.email,
    });
  }

  @Get(':id')
  @Doc({
    summary: 'One tenant (platform admin)',
    ok: { description: 'the tenant', schema: platformTenantView },
    errors: [401, 403, 404],
  })
  async get(@Req() req: SessionRequest, @Param('id') id: string) {
    return this.tenants.get(platformAdminOf(req), id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Doc({
    summary: 'Close a tenant at contract termination (platform admin)',
    description:
      'Within METADATA_REFRESH_MS its hubs are refused at the gateway (CONNACK 4) and its tags are unknown, so ' +
      'nothing more is stored for it; open alarms are cleared. Its users may still log in, read only, for ' +
      '`readOnlyDays` (default TENANT_CLOSED_READ_ONLY_DAYS) to export their data (`GET /export`), then not at ' +
      'all. The data stays. Audited (`tenant.close`). A closed tenant cannot be closed again (409).',
    body: closeTenantBody,
    ok: { description: 'the closed tenant', schema: platformTenantView },
    errors: [400, 401, 403, 404, 409],
  })
  async close(@Req() req: SessionRequest, @Param('id') id: string, @Body() body: unknown) {
    const input = parse(closeTenantBody, body ?? {});
    return this.tenants.close(platformAdminOf(req), id, input);
  }

  @Get(':id/history')
  @Doc({
    summary: 'The tenant’s lifecycle in the audit trail: created, settings, closed (platform admin)',
    query: { limit: { schema: historyQuery.shape.limit, description: '1–1000, default 100' } },
    ok: { description: 'newest first', schema: listOf('entries', auditEntry) },
    errors: [400, 401, 403, 404],
  })
  async history(@Req() req: SessionRequest, @Param('id') id: string, @Query() query: unknown) {
    const { limit } = parse(historyQuery, query, 'query');
    return { entries: await this.tenants.history(platformAdminOf(req), id, limit) };
  }
}

import { Controller, Get, Inject, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FleetService } from '@coldchain/fleet';
import { FLEET_WRITERS } from '@coldchain/identity';
import { Roles, SessionAuthGuard, principalOf, type SessionRequest } from '../auth/session-auth.guard.js';
import { Doc } from '../openapi.js';
import { auditEntry, auditQuery, listOf } from '../schemas.js';
import { parse } from '../validation.js';

/** The tenant's audit trail: every change made through the API. */
@ApiTags('audit')
@Controller('api/v1/audit')
@UseGuards(SessionAuthGuard)
@Roles(...FLEET_WRITERS)
export class AuditController {
  constructor(@Inject(FleetService) private readonly fleet: FleetService) {}

  @Get()
  @Doc({
    summary: 'The tenant’s audit trail, newest first (owner, operator)',
    query: {
      objectType: {
        schema: auditQuery.shape.objectType,
        description: 'user | hub | tag | profile | trip | tenant',
      },
      limit: { schema: auditQuery.shape.limit, description: '1–1000, default 100' },
    },
    ok: { description: 'entries', schema: listOf('entries', auditEntry) },
    errors: [400, 401, 403],
  })
  async list(@Req() req: SessionRequest, @Query() query: unknown) {
    return { entries: await this.fleet.auditTrail(principalOf(req), parse(auditQuery, query, 'query')) };
  }
}

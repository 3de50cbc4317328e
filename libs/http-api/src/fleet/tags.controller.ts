import { Body, Controller, Get, Inject, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FleetService } from '@coldchain/fleet';
import { FLEET_WRITERS } from '@coldchain/identity';
import { Roles, SessionAuthGuard, principalOf, type SessionRequest } from '../auth/session-auth.guard.js';
import { Doc } from '../openapi.js';
import { auditEntry, historyQuery, listOf, registerTagBody, tagView, updateTagBody } from '../schemas.js';
import { parse } from '../validation.js';

/** K-TAG sensors of the tenant: registration by MAC, profile assignment. */
@ApiTags('tags')
@Controller('api/v1/tags')
@UseGuards(SessionAuthGuard)
export class TagsController {
  constructor(@Inject(FleetService) private readonly fleet: FleetService) {}

  @Get()
  @Doc({
    summary: 'List tags',
    ok: { description: 'tags', schema: listOf('tags', tagView) },
    errors: [401, 403],
  })
  async list(@Req() req: SessionRequest) {
    return { tags: await this.fleet.listTags(principalOf(req)) };
  }

  @Post()
  @Roles(...FLEET_WRITERS)
  @Doc({
    summary: 'Register a tag by MAC, optionally with a profile (owner, operator)',
    description: 'Any common MAC spelling is accepted and stored as AA:BB:CC:DD:EE:FF.',
    body: registerTagBody,
    ok: { status: 201, description: 'registered', schema: tagView },
    errors: [400, 401, 403, 409],
  })
  async register(@Req() req: SessionRequest, @Body() body: unknown) {
    return this.fleet.registerTag(principalOf(req), parse(registerTagBody, body));
  }

  @Get(':mac')
  @Doc({
    summary: 'One tag (any MAC spelling)',
    ok: { description: 'the tag', schema: tagView },
    errors: [401, 403, 404],
  })
  async get(@Req() req: SessionRequest, @Param('mac') mac: string) {
    return this.fleet.getTag(principalOf(req), mac);
  }

  @Patch(':mac')
  @Roles(...FLEET_WRITERS)
  @Doc({
    summary: 'Rename a tag or (un)assign its profile (owner, operator)',
    description: '`profileId: null` unassigns. Ingest applies the change within METADATA_REFRESH_MS.',
    body: updateTagBody,
    ok: { description: 'updated', schema: tagView },
    errors: [400, 401, 403, 404],
  })
  async update(@Req() req: SessionRequest, @Param('mac') mac: string, @Body() body: unknown) {
    return this.fleet.updateTag(principalOf(req), mac, parse(updateTagBody, body));
  }

  @Get(':mac/history')
  @Doc({
    summary: 'Audit trail of one tag',
    query: { limit: { schema: historyQuery.shape.limit, description: '1–1000, default 100' } },
    ok: { description: 'newest first', schema: listOf('entries', auditEntry) },
    errors: [400, 401, 403, 404],
  })
  async history(@Req() req: SessionRequest, @Param('mac') mac: string, @Query() query: unknown) {
    const { limit } = parse(historyQuery, query, 'query');
    return { entries: await this.fleet.history(principalOf(req), 'tag', mac, limit) };
  }
}

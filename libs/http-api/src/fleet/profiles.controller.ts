import { Body, Controller, Get, Inject, Param, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FleetService, type ProfileInput } from '@coldchain/fleet';
import { FLEET_WRITERS } from '@coldchain/identity';
import { Roles, SessionAuthGuard, principalOf, type SessionRequest } from '../auth/session-auth.guard.js';
import { Doc } from '../openapi.js';
import { auditEntry, historyQuery, listOf, profileBody, profileView } from '../schemas.js';
import { parse } from '../validation.js';

const input = (body: unknown): ProfileInput => {
  const p = parse(profileBody, body);
  // The rule set's shape is checked by the store (validateProfile), which lists every problem.
  return { name: p.name, temperature: p.temperature, rules: p.rules };
};

/** Product profiles: thresholds and alarm rules, validated on save, versioned, audited. */
@ApiTags('profiles')
@Controller('api/v1/profiles')
@UseGuards(SessionAuthGuard)
export class ProfilesController {
  constructor(@Inject(FleetService) private readonly fleet: FleetService) {}

  @Get()
  @Doc({
    summary: 'List profiles',
    ok: { description: 'profiles', schema: listOf('profiles', profileView) },
    errors: [401, 403],
  })
  async list(@Req() req: SessionRequest) {
    return { profiles: await this.fleet.listProfiles(principalOf(req)) };
  }

  @Post()
  @Roles(...FLEET_WRITERS)
  @Doc({
    summary: 'Create a profile at version 1 (owner, operator)',
    description:
      'Bounds and rules are validated (validateProfile of the alarm engine); each problem is listed.',
    body: profileBody,
    ok: { status: 201, description: 'created', schema: profileView },
    errors: [400, 401, 403],
  })
  async create(@Req() req: SessionRequest, @Body() body: unknown) {
    return this.fleet.createProfile(principalOf(req), input(body));
  }

  @Get(':id')
  @Doc({
    summary: 'One profile, current version',
    ok: { description: 'the profile', schema: profileView },
    errors: [401, 403, 404],
  })
  async get(@Req() req: SessionRequest, @Param('id') id: string) {
    return this.fleet.getProfile(principalOf(req), id);
  }

  @Put(':id')
  @Roles(...FLEET_WRITERS)
  @Doc({
    summary: 'Replace a profile: a new version (owner, operator)',
    description: 'The version increases by one; the audit trail keeps every version with who and when.',
    body: profileBody,
    ok: { description: 'the new version', schema: profileView },
    errors: [400, 401, 403, 404],
  })
  async update(@Req() req: SessionRequest, @Param('id') id: string, @Body() body: unknown) {
    return this.fleet.updateProfile(principalOf(req), id, input(body));
  }

  @Get(':id/history')
  @Doc({
    summary: 'Every version of a profile: audit trail',
    query: { limit: { schema: historyQuery.shape.limit, description: '1–1000, default 100' } },
    ok: {
      description: 'newest first; `detail` holds the saved version',
      schema: listOf('entries', auditEntry),
    },
    errors: [400, 401, 403, 404],
  })
  async history(@Req() req: SessionRequest, @Param('id') id: string, @Query() query: unknown) {
    const { limit } = parse(historyQuery, query, 'query');
    return { entries: await this.fleet.history(principalOf(req), 'profile', id, limit) };
  }
}

import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { FleetService } from '@coldchain/fleet';
import { FLEET_WRITERS } from '@coldchain/identity';
import { Roles, SessionAuthGuard, principalOf, type SessionRequest } from '../auth/session-auth.guard.js';
import { Doc } from '../openapi.js';
import {
  auditEntry,
  historyQuery,
  hubSecret,
  hubView,
  listOf,
  registeredHub,
  registerHubBody,
} from '../schemas.js';
import { parse } from '../validation.js';

/** K-HUB gateways of the tenant: registration by IMEI, MQTT secret issue and rotation. */
@ApiTags('hubs')
@Controller('api/v1/hubs')
@UseGuards(SessionAuthGuard)
export class HubsController {
  constructor(@Inject(FleetService) private readonly fleet: FleetService) {}

  @Get()
  @Doc({
    summary: 'List hubs with their connection status',
    ok: { description: 'hubs', schema: listOf('hubs', hubView) },
    errors: [401, 403],
  })
  async list(@Req() req: SessionRequest) {
    return { hubs: await this.fleet.listHubs(principalOf(req)) };
  }

  @Post()
  @Roles(...FLEET_WRITERS)
  @Doc({
    summary: 'Register a hub by IMEI and issue its MQTT secret (owner, operator)',
    description:
      'The IMEI must carry a valid Luhn check digit. The secret (the hub’s MQTT password, username = IMEI) is ' +
      'returned once and stored only as an HMAC; the gateway accepts it within METADATA_REFRESH_MS.',
    body: registerHubBody,
    ok: { status: 201, description: 'registered', schema: registeredHub },
    errors: [400, 401, 403, 409],
  })
  async register(@Req() req: SessionRequest, @Body() body: unknown): Promise<z.infer<typeof registeredHub>> {
    return this.fleet.registerHub(principalOf(req), parse(registerHubBody, body));
  }

  @Get(':imei')
  @Doc({ summary: 'One hub', ok: { description: 'the hub', schema: hubView }, errors: [401, 403, 404] })
  async get(@Req() req: SessionRequest, @Param('imei') imei: string) {
    return this.fleet.getHub(principalOf(req), imei);
  }

  @Post(':imei/secret')
  @HttpCode(200)
  @Roles(...FLEET_WRITERS)
  @Doc({
    summary: 'Rotate the hub’s MQTT secret (owner, operator)',
    description:
      'The new secret is returned once. The gateway accepts it, and refuses the old one (CONNACK "not authorized"), ' +
      'within METADATA_REFRESH_MS; a hub already connected stays so until it reconnects.',
    ok: { description: 'the new secret, once', schema: hubSecret },
    errors: [401, 403, 404],
  })
  async rotateSecret(@Req() req: SessionRequest, @Param('imei') imei: string) {
    return this.fleet.rotateHubSecret(principalOf(req), imei);
  }

  @Get(':imei/history')
  @Doc({
    summary: 'Audit trail of one hub',
    query: { limit: { schema: historyQuery.shape.limit, description: '1–1000, default 100' } },
    ok: { description: 'newest first', schema: listOf('entries', auditEntry) },
    errors: [400, 401, 403, 404],
  })
  async history(@Req() req: SessionRequest, @Param('imei') imei: string, @Query() query: unknown) {
    const { limit } = parse(historyQuery, query, 'query');
    return { entries: await this.fleet.history(principalOf(req), 'hub', imei, limit) };
  }
}

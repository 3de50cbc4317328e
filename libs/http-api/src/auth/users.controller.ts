import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { UserRole } from '@coldchain/domain';
import { FleetService } from '@coldchain/fleet';
import { ADMINS, UsersService } from '@coldchain/identity';
import { Doc } from '../openapi.js';
import {
  auditEntry,
  createUserBody,
  historyQuery,
  listOf,
  updateUserBody,
  userView,
  userWithPassword,
} from '../schemas.js';
import { parse } from '../validation.js';
import { Roles, SessionAuthGuard, principalOf, type SessionRequest } from './session-auth.guard.js';

/** The tenant's users, for its owners only. */
@ApiTags('users')
@Controller('api/v1/users')
@UseGuards(SessionAuthGuard)
@Roles(...ADMINS)
export class UsersController {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(FleetService) private readonly fleet: FleetService,
  ) {}

  @Get()
  @Doc({
    summary: 'List the tenant’s users (owner)',
    ok: { description: 'users', schema: listOf('users', userView) },
    errors: [401, 403],
  })
  async list(@Req() req: SessionRequest) {
    return { users: await this.users.list(principalOf(req)) };
  }

  @Post()
  @Doc({
    summary: 'Create a user with a temporary password (owner)',
    description: 'The temporary password is returned once; the user must change it at first login.',
    body: createUserBody,
    ok: { status: 201, description: 'created', schema: userWithPassword },
    errors: [400, 401, 403, 409],
  })
  async create(@Req() req: SessionRequest, @Body() body: unknown) {
    const { email, role } = parse(createUserBody, body);
    return this.users.create(principalOf(req), { email, role: role as UserRole });
  }

  @Get(':id')
  @Doc({
    summary: 'One user (owner)',
    ok: { description: 'the user', schema: userView },
    errors: [401, 403, 404],
  })
  async get(@Req() req: SessionRequest, @Param('id') id: string) {
    return this.users.get(principalOf(req), id);
  }

  @Patch(':id')
  @Doc({
    summary: 'Change a user’s role or disable it (owner)',
    description: 'Disabling ends the user’s sessions. Owners cannot demote or disable themselves.',
    body: updateUserBody,
    ok: { description: 'updated', schema: userView },
    errors: [400, 401, 403, 404],
  })
  async update(@Req() req: SessionRequest, @Param('id') id: string, @Body() body: unknown) {
    const patch = parse(updateUserBody, body);
    return this.users.update(principalOf(req), id, {
      role: patch.role as UserRole | undefined,
      disabled: patch.disabled,
    });
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @Doc({
    summary: 'Issue a new temporary password (owner)',
    description: 'Ends the user’s sessions; the next login must change the password.',
    ok: { description: 'the temporary password, once', schema: userWithPassword },
    errors: [401, 403, 404],
  })
  async resetPassword(@Req() req: SessionRequest, @Param('id') id: string) {
    return this.users.resetPassword(principalOf(req), id);
  }

  @Get(':id/history')
  @Doc({
    summary: 'Audit trail of one user (owner)',
    query: { limit: { schema: historyQuery.shape.limit, description: '1–1000, default 100' } },
    ok: { description: 'newest first', schema: listOf('entries', auditEntry) },
    errors: [400, 401, 403, 404],
  })
  async history(@Req() req: SessionRequest, @Param('id') id: string, @Query() query: unknown) {
    const { limit } = parse(historyQuery, query, 'query');
    return { entries: await this.fleet.history(principalOf(req), 'user', id, limit) };
  }
}

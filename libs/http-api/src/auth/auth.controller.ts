import { Body, Controller, Get, HttpCode, Inject, Ip, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuthService, type TokenPair } from '@coldchain/identity';
import { Doc } from '../openapi.js';
import { changePasswordBody, loginBody, refreshBody, tokenPair } from '../schemas.js';
import { parse } from '../validation.js';
import {
  AllowOnClosedTenant,
  AllowPendingPasswordChange,
  AnyCaller,
  SessionAuthGuard,
  callerOf,
  type SessionRequest,
} from './session-auth.guard.js';

const me = z.object({
  kind: z.enum(['tenant', 'platform']).describe('a tenant’s user, or a platform admin (member of no tenant)'),
  userId: z.string(),
  tenantId: z.string().optional().describe('absent for a platform admin'),
  email: z.string(),
  role: z.string().optional().describe('absent for a platform admin'),
  mustChangePassword: z.boolean(),
  readOnlyUntil: z
    .number()
    .int()
    .optional()
    .describe('epoch ms: the tenant is closed and its users may only read (and export) until then'),
});

/** Login, token refresh, logout, password change: a thin door onto @coldchain/identity's AuthService. */
@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Doc({
    summary: 'Log in with email and password',
    description:
      'Returns a short-lived access token (JWT) and a single-use refresh token. When `mustChangePassword` is true, ' +
      'every route but change-password, logout and me answers 403 until the password is changed. ' +
      'After LOGIN_MAX_FAILURES failures the email is locked for LOGIN_LOCKOUT_MINUTES (429); more than ' +
      'LOGIN_RATE_PER_MINUTE attempts from one client address are refused too (429).',
    body: loginBody,
    ok: { description: 'logged in', schema: tokenPair },
    errors: [400, 401, 429],
    public: true,
  })
  async login(@Body() body: unknown, @Ip() clientAddress: string): Promise<TokenPair> {
    const { email, password } = parse(loginBody, body);
    return this.auth.login(email, password, clientAddress);
  }

  @Post('refresh')
  @HttpCode(200)
  @Doc({
    summary: 'Exchange a refresh token for a new pair',
    description:
      'The refresh token is spent: presenting it again ends the session (reuse detection). Refreshing is not ' +
      'activity: a session idle for SESSION_IDLE_MINUTES cannot be refreshed.',
    body: refreshBody,
    ok: { description: 'a new pair', schema: tokenPair },
    errors: [400, 401],
    public: true,
  })
  async refresh(@Body() body: unknown): Promise<TokenPair> {
    return this.auth.refresh(parse(refreshBody, body).refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(SessionAuthGuard)
  @AnyCaller()
  @AllowPendingPasswordChange()
  @AllowOnClosedTenant()
  @Doc({
    summary: 'End the session',
    description: 'Its access and refresh tokens stop working at once.',
    ok: { status: 204, description: 'logged out' },
    errors: [401],
  })
  async logout(@Req() req: SessionRequest): Promise<void> {
    await this.auth.logout(callerOf(req));
  }

  @Post('change-password')
  @HttpCode(204)
  @UseGuards(SessionAuthGuard)
  @AnyCaller()
  @AllowPendingPasswordChange()
  @AllowOnClosedTenant()
  @Doc({
    summary: 'Change the own password (required after a temporary one)',
    description: 'Ends every other session of the user. A wrong current password counts as a failed login.',
    body: changePasswordBody,
    ok: { status: 204, description: 'changed' },
    errors: [400, 401, 429],
  })
  async changePassword(@Req() req: SessionRequest, @Body() body: unknown): Promise<void> {
    const { currentPassword, newPassword } = parse(changePasswordBody, body);
    await this.auth.changePassword(callerOf(req), currentPassword, newPassword);
  }

  @Get('me')
  @UseGuards(SessionAuthGuard)
  @AnyCaller()
  @AllowPendingPasswordChange()
  @Doc({ summary: 'The caller', ok: { description: 'the caller', schema: me }, errors: [401] })
  me(@Req() req: SessionRequest): z.infer<typeof me> {
    const caller = callerOf(req);
    if (caller.kind === 'platform') {
      const { kind, userId, email, mustChangePassword } = caller;
      return { kind, userId, email, mustChangePassword };
    }
    const { kind, userId, tenantId, email, role, mustChangePassword, readOnlyUntil } = caller;
    return {
      kind,
      userId,
      tenantId,
      email,
      role,
      mustChangePassword,
      ...(readOnlyUntil !== undefined ? { readOnlyUntil } : {}),
    };
  }
}

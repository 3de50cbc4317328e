import { Controller, Get, Inject, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ADMINS } from '@coldchain/identity';
import { type AuditRepository, AUDIT_REPOSITORY } from '@coldchain/metadata-store';
import { Roles, SessionAuthGuard, principalOf, type SessionRequest } from './auth/session-auth.guard.js';
import { Doc } from './openapi.js';

const chainVerdictView = z.object({
  ok: z.boolean().describe('true: every entry matches its hash and names its predecessor’s'),
  entries: z.number().int().describe('entries read: all, or up to and including the first broken one'),
  firstBrokenId: z.number().int().optional().describe('id of the first entry that breaks the chain'),
  reason: z.string().optional().describe('how it breaks it'),
});

/** Recomputes the caller's tenant's hash-chained audit trail (docs/audit-trail.md). */
@ApiTags('audit')
@Controller('api/v1/audit')
@UseGuards(SessionAuthGuard)
@Roles(...ADMINS)
export class AuditVerifyController {
  constructor(@Inject(AUDIT_REPOSITORY) private readonly audit: AuditRepository) {}

  @Get('verify')
  @Doc({
    summary: 'Verify the tenant’s audit trail hash chain, naming the first broken link (owner)',
    description:
      'Reads every entry in id order and recomputes its SHA-256 over the canonical encoding and the previous ' +
      'entry’s hash. A changed entry, or one removed or inserted before another, breaks it. Linear in the ' +
      'trail’s length; read in pages, so memory stays bounded.',
    ok: { description: 'the verdict', schema: chainVerdictView },
    errors: [401, 403],
  })
  async verify(@Req() req: SessionRequest): Promise<z.infer<typeof chainVerdictView>> {
    return this.audit.verifyAuditChain(principalOf(req).tenantId);
  }
}

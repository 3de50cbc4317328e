import { Body, Controller, Get, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiBody, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { type ColdchainConfig, CONFIG } from '@coldchain/config';
import { InvalidInputError } from '@coldchain/errors';
import { ReportSigner } from '@coldchain/reporting';
import { SessionAuthGuard, type SessionRequest } from '../auth/session-auth.guard.js';
import { Doc } from '../openapi.js';

/** The media types a report upload may be sent as; both arrive as the raw bytes. */
export const REPORT_UPLOAD_TYPES = ['application/pdf', 'application/octet-stream'];

/**
 * Lets POST /api/v1/reports/verify receive raw PDF bytes: a parser for
 * {@link REPORT_UPLOAD_TYPES} with its own limit, REPORT_VERIFY_MAX_BYTES
 * (reports outgrow the API's 1 MiB JSON limit); a larger upload is refused
 * by Fastify with 413 before it is buffered whole. Other routes never see
 * these types (their parse of a Buffer body fails: 400).
 */
export function registerReportUpload(app: NestFastifyApplication): void {
  const config = app.get<ColdchainConfig>(CONFIG);
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(
      REPORT_UPLOAD_TYPES,
      { parseAs: 'buffer', bodyLimit: config.REPORT_VERIFY_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
}

const verdictView = z.object({
  genuine: z.boolean().describe('true: signed by this platform’s key, not one byte changed since'),
  sha256: z.string().optional().describe('SHA-256 (hex) of the upload, signature block zeroed'),
  signedSha256: z.string().optional().describe('the SHA-256 the signature covers'),
  reason: z.string().optional().describe('why not genuine'),
  keyId: z.string().describe('this platform’s key id: first 8 bytes (hex) of the SHA-256 of the public key'),
});

const publicKeyView = z.object({
  algorithm: z.literal('Ed25519'),
  keyId: z.string(),
  publicKeyPem: z.string().describe('SubjectPublicKeyInfo, PEM'),
});

/**
 * Whether a PDF report is genuine and unchanged (docs/audit-trail.md): the
 * signature block in its metadata is recomputed over the uploaded bytes.
 * The public key is public, so anyone can also check a report offline.
 */
@ApiTags('reports')
@Controller('api/v1/reports')
export class ReportVerifyController {
  constructor(@Inject(ReportSigner) private readonly signer: ReportSigner) {}

  @Post('verify')
  @HttpCode(200)
  @UseGuards(SessionAuthGuard)
  @Doc({
    summary: 'Check an uploaded PDF report: genuine and unchanged, or why not (any role)',
    description:
      'Send the file’s bytes as the body with `Content-Type: application/pdf` (or application/octet-stream), at ' +
      'most REPORT_VERIFY_MAX_BYTES (default 10 MiB; larger: 413). 200 whatever the verdict; 400 when the body ' +
      'is missing or not a PDF.',
    ok: { description: 'the verdict', schema: verdictView },
    errors: [400, 401, 403],
  })
  @ApiBody({ description: 'the PDF', required: true, schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 413, description: 'Upload larger than REPORT_VERIFY_MAX_BYTES' })
  verify(@Req() _req: SessionRequest, @Body() body: unknown): z.infer<typeof verdictView> {
    if (!Buffer.isBuffer(body) || body.length === 0)
      throw new InvalidInputError('body: expected the PDF’s bytes with Content-Type: application/pdf');
    return { ...this.signer.verify(body), keyId: this.signer.keyId };
  }

  @Get('public-key')
  @Doc({
    summary: 'The public key reports are signed with (no login needed)',
    description: 'Ed25519 (RFC 8032) over the SHA-256 of the report with its signature block zeroed.',
    ok: { description: 'the key', schema: publicKeyView },
    errors: [],
    public: true,
  })
  publicKey(): z.infer<typeof publicKeyView> {
    return { algorithm: 'Ed25519', keyId: this.signer.keyId, publicKeyPem: this.signer.publicKeyPem() };
  }
}

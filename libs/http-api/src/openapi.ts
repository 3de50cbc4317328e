import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  DocumentBuilder,
  SwaggerModule,
} from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { z } from 'zod';
import { type ColdchainConfig, CONFIG } from '@coldchain/config';
import { inlineStyleCsp, overrideCsp } from '@coldchain/runtime';
import { openApiSchema } from './validation.js';

/** Every error body of the API (ColdchainErrorFilter). */
const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    error: {
      type: 'string',
      description:
        'stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts',
    },
    reason: {
      type: 'string',
      description:
        '401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed',
    },
    message: { type: 'string' },
    problems: {
      type: 'array',
      items: { type: 'string' },
      description: '400 only: one `field: problem` per problem',
    },
  },
  required: ['statusCode', 'error', 'message'],
};

const ERRORS: Record<number, string> = {
  400: 'Invalid input: `problems` names every field at fault',
  401: 'Not authenticated: no or bad token, or the session ended (`reason` says why)',
  403: 'Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only)',
  404: "No such object in the caller's tenant (another tenant's objects are not found either)",
  409: 'Already registered (an email, IMEI or MAC is unique across tenants)',
  429: 'Too many failed logins: locked; Retry-After says for how many seconds',
};

export interface RouteDoc {
  summary: string;
  description?: string;
  body?: z.ZodType;
  query?: Record<string, { schema: z.ZodType; description: string }>;
  ok: { status?: number; description: string; schema?: z.ZodType | Record<string, unknown> };
  errors: number[];
  /** No Bearer token needed (login, refresh). */
  public?: boolean;
}

const isZod = (s: unknown): s is z.ZodType => typeof (s as { safeParse?: unknown }).safeParse === 'function';

/** The OpenAPI description of one route: summary, body and query schemas (from the zod schemas the route parses with), responses. */
export function Doc(d: RouteDoc): MethodDecorator {
  const okSchema = d.ok.schema && (isZod(d.ok.schema) ? openApiSchema(d.ok.schema) : d.ok.schema);
  return applyDecorators(
    ApiOperation({ summary: d.summary, description: d.description }),
    ...(d.public ? [] : [ApiBearerAuth()]),
    ...(d.body ? [ApiBody({ schema: openApiSchema(d.body) })] : []),
    ...Object.entries(d.query ?? {}).map(([name, q]) =>
      ApiQuery({ name, required: false, description: q.description, schema: openApiSchema(q.schema) }),
    ),
    ApiResponse({
      status: d.ok.status ?? 200,
      description: d.ok.description,
      ...(okSchema ? { schema: okSchema } : {}),
    }),
    ...d.errors.map((status) => ApiResponse({ status, description: ERRORS[status], schema: ERROR_SCHEMA })),
  );
}

/**
 * Mounts the OpenAPI document: UI at /docs, JSON at /docs/json. The UI's page
 * has an inline `<style>` and styled inline SVG, so /docs gets the app's CSP
 * with inline styles allowed (scripts stay 'self': swagger-ui loads its
 * bundle and its init script as files). Swagger's online validator badge is
 * off: it would send the document's URL to validator.swagger.io.
 */
export function mountOpenApi(app: NestFastifyApplication): void {
  overrideCsp(app, '/docs', inlineStyleCsp(app.get<ColdchainConfig>(CONFIG)));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Coldchain operator API')
      .setDescription(
        'Multi-tenant operator API: log in (POST /api/v1/auth/login), then send `Authorization: Bearer <accessToken>`. ' +
          "Every route is scoped to the caller's tenant; see docs/api.md.",
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/json',
    swaggerOptions: { validatorUrl: 'none' },
  });
}

import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ColdchainError, TooManyAttemptsError, UnauthorizedError } from '@coldchain/errors';

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  password_change_required: 403,
  tenant_closed: 403,
  not_found: 404,
  conflict: 409,
  too_many_attempts: 429,
  engine_unavailable: 503,
  shutting_down: 503,
};

interface Reply {
  header(name: string, value: string): Reply;
  status(code: number): Reply;
  send(body: unknown): void;
}

/** Maps errors to HTTP once, at the edge: named errors by code, Nest's HttpExceptions as they are, the rest 500. */
@Catch()
export class ColdchainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<Reply>();
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      reply
        .status(exception.getStatus())
        .send(typeof body === 'string' ? { statusCode: exception.getStatus(), message: body } : body);
      return;
    }
    if (exception instanceof ColdchainError) {
      const status = STATUS_BY_CODE[exception.code] ?? 500;
      const problems = (exception as { problems?: string[] }).problems;
      let reason: string | undefined;
      if (exception instanceof UnauthorizedError) {
        reason = exception.reason;
        reply.header('WWW-Authenticate', 'Bearer realm="coldchain"'); // RFC 6750 §3
      }
      if (exception instanceof TooManyAttemptsError)
        reply.header('Retry-After', String(Math.ceil(exception.retryAfterMs / 1000))); // seconds, RFC 9110 §10.2.3
      reply
        .status(status)
        .send({ statusCode: status, error: exception.code, reason, message: exception.message, problems });
      return;
    }
    this.logger.error(
      `unhandled: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
    );
    reply.status(500).send({ statusCode: 500, error: 'internal', message: 'internal error' });
  }
}

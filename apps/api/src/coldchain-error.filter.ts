import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ColdchainError } from '@coldchain/errors';

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  not_found: 404,
  engine_unavailable: 503,
  shutting_down: 503,
};

/** Maps errors to HTTP once, at the edge: named errors by code, Nest's HttpExceptions as they are, the rest 500. */
@Catch()
export class ColdchainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{ status(code: number): { send(body: unknown): void } }>();
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
      reply
        .status(status)
        .send({ statusCode: status, error: exception.code, message: exception.message, problems });
      return;
    }
    this.logger.error(
      `unhandled: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
    );
    reply.status(500).send({ statusCode: 500, error: 'internal', message: 'internal error' });
  }
}

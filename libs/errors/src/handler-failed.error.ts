import { ColdchainError } from './coldchain.error.js';

/**
 * A consumer's handler kept failing on a batch with an error retrying cannot
 * cure (a bug, content it cannot take): the bus stops handing that batch over
 * in place and lets the consumer fail, without committing past it. Keeps the
 * handler's error as `cause`. Not retriable.
 */
export class HandlerFailedError extends ColdchainError {
  constructor(
    readonly where: string,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`${where}: handler failed ${attempts} times with a non-retriable error: ${String(cause)}`, {
      code: 'handler_failed',
      retriable: false,
      cause,
    });
  }
}

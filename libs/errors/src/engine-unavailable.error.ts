import { ColdchainError } from './coldchain.error.js';

/** An engine (bus, store, mail server) could not take the operation right now. Retriable. */
export class EngineUnavailableError extends ColdchainError {
  constructor(
    readonly engine: string,
    message: string,
    cause?: unknown,
  ) {
    super(`${engine} unavailable: ${message}`, { code: 'engine_unavailable', retriable: true, cause });
  }
}

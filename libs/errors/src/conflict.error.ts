import { ColdchainError } from './coldchain.error.js';

/** The object already exists (an email, IMEI or MAC is registered already). Not retriable. HTTP 409. */
export class ConflictError extends ColdchainError {
  constructor(message: string) {
    super(message, { code: 'conflict', retriable: false });
  }
}

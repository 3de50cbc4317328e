import { ColdchainError } from './coldchain.error.js';

/** Input that can never succeed as given (a bad profile, a malformed request). Not retriable. */
export class InvalidInputError extends ColdchainError {
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message, { code: 'invalid_input', retriable: false });
  }
}

import { ColdchainError } from './coldchain.error.js';

/** The object does not exist, or not for this tenant (the two are not told apart: no enumeration). */
export class NotFoundError extends ColdchainError {
  constructor(what: string) {
    super(`${what} not found`, { code: 'not_found', retriable: false });
  }
}

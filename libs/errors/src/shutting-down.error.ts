import { ColdchainError } from './coldchain.error.js';

/** The component is draining for shutdown and takes no new work. Retriable (elsewhere, or after restart). */
export class ShuttingDownError extends ColdchainError {
  constructor(component: string) {
    super(`${component} is shutting down`, { code: 'shutting_down', retriable: true });
  }
}

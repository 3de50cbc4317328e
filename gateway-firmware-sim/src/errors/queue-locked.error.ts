import { SimError } from './sim.error.js';

/** The queue directory is owned by a running process. Not retriable while it runs. */
export class QueueLockedError extends SimError {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`queue directory ${dir} is in use by process ${pid}`, { code: 'queue_locked', retriable: false });
  }
}

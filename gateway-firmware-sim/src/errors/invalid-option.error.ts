import { SimError } from './sim.error.js';

/** A CLI flag, option or scenario field that can never work as given. Names every problem at once. Not retriable. */
export class InvalidOptionError extends SimError {
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(
      problems.length === 1 && problems[0] === message
        ? message
        : `${message}:\n  - ${problems.join('\n  - ')}`,
      {
        code: 'invalid_option',
        retriable: false,
      },
    );
  }
}

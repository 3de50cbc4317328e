import { SimError } from './sim.error.js';

/** A scenario file that cannot be played: unreadable, not YAML/JSON, or failing the schema. Names every problem. Not retriable. */
export class InvalidScenarioError extends SimError {
  constructor(
    readonly file: string,
    readonly problems: string[],
    cause?: unknown,
  ) {
    super(`scenario ${file} is invalid:\n  - ${problems.join('\n  - ')}`, {
      code: 'invalid_scenario',
      retriable: false,
      cause,
    });
  }
}

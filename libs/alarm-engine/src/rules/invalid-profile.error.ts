import { InvalidInputError } from '@coldchain/errors';

/** A profile whose rules contradict themselves; refused when saved. Not retriable. */
export class InvalidProfileError extends InvalidInputError {
  constructor(
    readonly profileId: string,
    problems: string[],
  ) {
    super(`profile ${profileId} refused: ${problems.join('; ')}`, problems);
  }
}

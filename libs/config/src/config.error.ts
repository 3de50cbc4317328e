import { ColdchainError } from '@coldchain/errors';

/** The environment is invalid; the process must not start. Not retriable. */
export class ConfigError extends ColdchainError {
  constructor(readonly problems: string[]) {
    super(`Invalid environment variables: ${problems.join('; ')}`, {
      code: 'invalid_config',
      retriable: false,
    });
  }
}

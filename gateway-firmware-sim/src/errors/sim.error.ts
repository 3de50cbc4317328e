/**
 * Base of the errors the simulator raises on purpose. Like the platform's
 * ColdchainError (and kafkajs errors) each says whether retrying can help and
 * keeps its `cause`; the CLI maps each to a message and a non-zero exit code.
 */
export class SimError extends Error {
  /** Stable machine-readable code, printed by the CLI and written to the JSON report. */
  readonly code: string;
  /** True when the same operation may succeed later (broker down); false for bad input or refused credentials. */
  readonly retriable: boolean;

  constructor(message: string, options: { code: string; retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retriable = options.retriable;
  }
}

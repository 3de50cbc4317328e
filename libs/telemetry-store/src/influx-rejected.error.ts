import { ColdchainError } from '@coldchain/errors';

/**
 * InfluxDB answered, and refused: a malformed or type-conflicting line
 * (400, possibly after storing the other lines of the request), a statement
 * it cannot run, an answer cut short. Sending the same bytes again gives the
 * same answer, so it is not retriable; the caller decides (dead-letter, fix
 * the schema). Engine outages are `EngineUnavailableError` instead.
 */
export class InfluxRejectedError extends ColdchainError {
  constructor(
    message: string,
    /** The HTTP status InfluxDB answered with, when there was one. */
    readonly statusCode?: number,
    cause?: unknown,
  ) {
    super(`influxdb rejected the request: ${message}`, { code: 'influx_rejected', retriable: false, cause });
  }
}

import { SimError } from './sim.error.js';

/** No TCP (or TLS) session could be opened to the broker. Retriable: the broker may come up. */
export class BrokerUnreachableError extends SimError {
  constructor(
    readonly brokerUrl: string,
    cause?: unknown,
  ) {
    const why = cause instanceof Error ? `: ${cause.message}` : '';
    super(`MQTT broker ${brokerUrl} is unreachable${why}`, {
      code: 'broker_unreachable',
      retriable: true,
      cause,
    });
  }
}

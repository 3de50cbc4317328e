import { SimError } from './sim.error.js';

/** No TCP (or TLS) session could be opened to the broker. Retriable: the broker may come up. */
export class BrokerUnreachableError extends SimError {
  constructor(
    readonly brokerUrl: string,
    cause?: unknown,
  ) {
    // Duck-typed: errors from Node internals may come from another realm (jest VM), where instanceof Error fails.
    const message = (cause as { message?: unknown } | undefined)?.message;
    const why = typeof message === 'string' && message ? `: ${message}` : '';
    super(`MQTT broker ${brokerUrl} is unreachable${why}`, {
      code: 'broker_unreachable',
      retriable: true,
      cause,
    });
  }
}

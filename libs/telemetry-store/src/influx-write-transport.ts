import { HttpError, type CommunicationObserver, type Transport } from '@influxdata/influxdb-client';

/** The path prefix of the v2 write endpoint (the WriteApi's only requests). */
const WRITE_PATH = '/api/v2/write';

/**
 * Wraps the client's transport so that a write request succeeds only on
 * HTTP 204, the answer InfluxDB 1.8+/2.x (and the 1.6 mapping) give when
 * every line is stored. The WriteApi on its own also counts 201 as success
 * (InfluxDB 3 may use it for a partial write) and any answer whose status
 * the transport did not report. Here those become an HttpError, which the
 * WriteApi turns into the rejection of its flush, so the write call rejects
 * and the batch stays in the bus. Queries and pings pass through untouched.
 */
export function requireNoContentOnWrite(transport: Transport): Transport {
  return {
    chunkCombiner: transport.chunkCombiner,
    request: (path, body, options, responseStarted) =>
      transport.request(path, body, options, responseStarted),
    iterate: (path, body, options) => transport.iterate(path, body, options),
    send(path, body, options, callbacks) {
      if (!path.startsWith(WRITE_PATH) || callbacks === undefined) {
        transport.send(path, body, options, callbacks);
        return;
      }
      let status: number | undefined;
      const strict: Partial<CommunicationObserver<Uint8Array>> = {
        ...callbacks,
        responseStarted(headers, statusCode) {
          status = statusCode;
          callbacks.responseStarted?.(headers, statusCode);
        },
        complete() {
          if (status === 204) {
            callbacks.complete?.();
            return;
          }
          const message = `HTTP 204 expected from a write, got ${status ?? 'no status'}`;
          callbacks.error?.(new HttpError(status ?? 0, message, undefined, undefined, undefined, message));
        },
      };
      transport.send(path, body, options, strict);
    },
  };
}

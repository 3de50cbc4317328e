import { createServer, type Server } from 'node:net';
import type { Endpoints } from '../../support/infra.js';

/** Distinct free TCP ports on 127.0.0.1, all held until every one is known. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    servers.push(server);
    ports.push(address.port);
  }
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

/**
 * Runs one InfluxQL statement on the coldchain database, independently of
 * the adapter under test (plain fetch, bound parameters), and returns the
 * rows of its first series ([] when there is none).
 */
export async function influxQl(
  endpoints: Endpoints,
  q: string,
  params: Record<string, string | number> = {},
): Promise<unknown[][]> {
  const body = new URLSearchParams({ db: 'coldchain', q, epoch: 'ms', params: JSON.stringify(params) });
  const response = await fetch(`${endpoints.influxUrl}/query`, { method: 'POST', body });
  const answer = (await response.json()) as {
    results: Array<{ error?: string; series?: Array<{ values: unknown[][] }> }>;
  };
  if (answer.results[0].error !== undefined) throw new Error(answer.results[0].error);
  return answer.results[0].series?.[0]?.values ?? [];
}

/**
 * How `promise` settled, or a rejection saying it was still pending after
 * `boundMs`: a bound on "eventually", not a timing assertion.
 */
export async function settledWithin<T>(
  promise: Promise<T>,
  boundMs: number,
): Promise<PromiseSettledResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${boundMs} ms`)), boundMs);
  });
  try {
    return await Promise.race([
      promise.then(
        (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
        (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
      ),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

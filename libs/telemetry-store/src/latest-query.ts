import { InvalidInputError } from '@coldchain/errors';
import type { LatestQuery } from './telemetry-store.port.js';

/** Refuses a page size that is not an integer ≥ 1 (InvalidInputError): both adapters check the same way. */
export function assertLatestQuery(query: LatestQuery): void {
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 1))
    throw new InvalidInputError(`latest: limit must be an integer ≥ 1, got ${query.limit}`);
}

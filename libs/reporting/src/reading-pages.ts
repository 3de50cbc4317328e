import type { EpochMs, StoredReading } from '@coldchain/domain';
import type { TelemetryStorePort } from '@coldchain/telemetry-store';

/** Readings per store query when paging through a long window. */
export const READING_PAGE_SIZE = 10_000;

/**
 * One tag's readings in [from, to), oldest first, a page (one store query) at
 * a time: the next page starts just after the last measured time seen, which
 * is exact because the store keeps one reading per (tenant, tag, ts).
 */
export async function* readingPages(
  store: Pick<TelemetryStorePort, 'readings'>,
  query: { tenantId: string; tag: string; from: EpochMs; to: EpochMs },
  pageSize = READING_PAGE_SIZE,
): AsyncGenerator<StoredReading[]> {
  let from = query.from;
  while (from < query.to) {
    const page = await store.readings({ ...query, from, limit: pageSize });
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    from = page[page.length - 1].ts + 1;
  }
}

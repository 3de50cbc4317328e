/**
 * How many of the leading `items` fit in one batch of at most `maxRecords`
 * records, and how many records those are. Always takes at least one item, so
 * an item larger than the limit travels alone rather than blocking the queue.
 */
export function leadingBatch<T>(
  items: readonly T[],
  recordsOf: (item: T) => number,
  maxRecords: number,
): { items: number; records: number } {
  let records = 0;
  let n = 0;
  while (n < items.length && (n === 0 || records + recordsOf(items[n]) <= maxRecords)) {
    records += recordsOf(items[n]);
    n++;
  }
  return { items: n, records };
}

/**
 * How many of the leading `items` fit in one batch of at most `maxRecords`
 * records (and, when `bytesOf` is given, at most `maxBytes` bytes), and how
 * many records those are. Always takes at least one item, so an item larger
 * than a limit travels alone rather than blocking the queue.
 */
export function leadingBatch<T>(
  items: readonly T[],
  recordsOf: (item: T) => number,
  maxRecords: number,
  bytesOf: (item: T) => number = () => 0,
  maxBytes = Number.POSITIVE_INFINITY,
): { items: number; records: number } {
  let records = 0;
  let bytes = 0;
  let n = 0;
  while (
    n < items.length &&
    (n === 0 || (records + recordsOf(items[n]) <= maxRecords && bytes + bytesOf(items[n]) <= maxBytes))
  ) {
    records += recordsOf(items[n]);
    bytes += bytesOf(items[n]);
    n++;
  }
  return { items: n, records };
}

import type { AlertFilter } from './alert-log.repository.js';

/**
 * The WHERE clause of an alert listing and its values, after the tenant
 * (value 1); `placeholder(n)` spells the n-th parameter in the dialect. Column
 * names are constants; every value is bound.
 */
export function alertFilterSql(
  filter: AlertFilter | undefined,
  placeholder: (n: number) => string,
): { where: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    values.push(value);
    clauses.push(`${clause} ${placeholder(values.length + 1)}`);
  };
  if (filter?.key !== undefined) add('key =', filter.key);
  if (filter?.tag !== undefined) add('tag =', filter.tag);
  if (filter?.rule !== undefined) add('rule =', filter.rule);
  if (filter?.transition !== undefined) add('transition =', filter.transition);
  if (filter?.startedAt !== undefined) add('started_at =', filter.startedAt);
  if (filter?.since !== undefined) add('emitted_at >=', filter.since);
  if (filter?.until !== undefined) add('emitted_at <', filter.until);
  return { where: clauses.map((c) => ` AND ${c}`).join(''), values };
}

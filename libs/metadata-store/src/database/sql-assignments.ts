/**
 * `SET` assignments of an UPDATE, shared by both adapters: `fill` names each
 * column to change with `set(column, value)`; `placeholder(n)` spells the n-th
 * value in the adapter's dialect (`?` for SQLite, `$n` for PostgreSQL).
 */
export function sqlAssignments(
  placeholder: (n: number) => string,
  fill: (set: (column: string, value: unknown) => void) => void,
): { sets: string[]; values: unknown[] } {
  const sets: string[] = [];
  const values: unknown[] = [];
  fill((column, value) => {
    values.push(value);
    sets.push(`${column} = ${placeholder(values.length)}`);
  });
  return { sets, values };
}

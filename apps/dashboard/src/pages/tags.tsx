import { useMemo, useState } from 'preact/hooks';
import { formatAgo, formatTemp, openAlerts, STATUS_LABEL, tagStatus, type TagStatus } from '../model';
import { useLive } from '../store';
import { PageHeader, Pager, StatusPill } from '../ui';

/** Rows per page: a page of DOM whatever the fleet's size (1,000 tags = 20 pages, not 1,000 rows). */
export const PAGE_SIZE = 50;

const STATUS_ORDER: Record<TagStatus, number> = { critical: 0, warning: 1, silent: 2, ok: 3 };

export function TagsPage() {
  const live = useLive();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<TagStatus | ''>('');
  const [page, setPage] = useState(0);
  const now = Date.now();
  // Recomputed per frame of live changes at most (useLive batches), one pass over the tags.
  const rows = useMemo(() => {
    const open = openAlerts(live.alerts);
    const profiles = new Map(live.profiles.map((p) => [p.id, p]));
    const q = query.trim().toLowerCase();
    return live.tags
      .map((t) => {
        const latest = live.latest.get(t.mac);
        const profile = t.profileId ? profiles.get(t.profileId) : undefined;
        return { tag: t, latest, profile, status: tagStatus(latest, open.get(t.mac), profile, now) };
      })
      .filter(
        (r) =>
          (!q || r.tag.name.toLowerCase().includes(q) || r.tag.mac.toLowerCase().includes(q)) &&
          (!status || r.status === status),
      )
      .sort(
        (a, b) =>
          STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
          a.tag.name.localeCompare(b.tag.name, undefined, { numeric: true }),
      );
    // `live.version` stands for the live state (mutated in place, bumped on each change).
  }, [live.version, query, status]);
  const pages = Math.ceil(rows.length / PAGE_SIZE);
  const current = Math.min(page, Math.max(0, pages - 1));
  const shown = rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const counts = rows.reduce<Record<string, number>>(
    (c, r) => ({ ...c, [r.status]: (c[r.status] ?? 0) + 1 }),
    {},
  );
  return (
    <section>
      <PageHeader title="Tags" />
      <div class="filters" role="search">
        <label>
          Search name or MAC
          <input
            type="search"
            name="q"
            value={query}
            onInput={(e) => {
              setQuery(e.currentTarget.value);
              setPage(0);
            }}
          />
        </label>
        <label>
          Status
          <select
            name="status"
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as TagStatus | '');
              setPage(0);
            }}
          >
            <option value="">All</option>
            {(Object.keys(STATUS_LABEL) as TagStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <p class="muted" data-testid="tag-count">
          {rows.length} of {live.tags.length} tags
          {status === '' &&
            (Object.keys(STATUS_LABEL) as TagStatus[])
              .filter((s) => counts[s])
              .map((s) => ` · ${counts[s]} ${STATUS_LABEL[s].toLowerCase()}`)
              .join('')}
        </p>
      </div>
      <table class="list" aria-label="Tags">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Name</th>
            <th scope="col">MAC</th>
            <th scope="col">Profile</th>
            <th scope="col" class="num">
              Temperature
            </th>
            <th scope="col">Last reading</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={r.tag.mac} data-mac={r.tag.mac} data-status={r.status}>
              <td>
                <StatusPill status={r.status} />
              </td>
              <td>
                <a href={`/tags/${encodeURIComponent(r.tag.mac)}`}>{r.tag.name}</a>
              </td>
              <td class="mono">{r.tag.mac}</td>
              <td>{r.profile?.name ?? '—'}</td>
              <td class="num" data-testid="tag-temp">
                {formatTemp(r.latest?.temperature)}
              </td>
              <td>{formatAgo(r.latest?.ts, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {live.loaded && rows.length === 0 && <p>No tag matches.</p>}
      <Pager page={current} pages={pages} total={rows.length} onPage={setPage} label="tags" />
    </section>
  );
}

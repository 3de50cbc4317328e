import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { formatTime, openAlerts, type Ack, type AlertEvent, type AlertNotifications } from '../model';
import { useLive } from '../store';
import { ErrorBox, PageHeader, Pager } from '../ui';

const PAGE_SIZE = 50;

/**
 * The key to acknowledge for an alert episode: its `raised` transition (the
 * one notifications were sent for), else the transition shown.
 */
function episodeKey(a: AlertEvent, all: readonly AlertEvent[]): string {
  return (
    all.find(
      (x) => x.tag === a.tag && x.rule === a.rule && x.startedAt === a.startedAt && x.transition === 'raised',
    )?.key ?? a.key
  );
}

export function AlertsPage() {
  const live = useLive();
  const [view, setView] = useState<'open' | 'all'>('open');
  const [page, setPage] = useState(0);
  const tagNames = useMemo(() => new Map(live.tags.map((t) => [t.mac, t.name])), [live.tags]);
  const rows = useMemo(() => {
    if (view === 'all')
      return [...live.alerts].sort((a, b) => (b.emittedAt ?? b.startedAt) - (a.emittedAt ?? a.startedAt));
    return [...openAlerts(live.alerts).values()]
      .flat()
      .sort((a, b) =>
        a.severity === b.severity ? b.startedAt - a.startedAt : a.severity === 'critical' ? -1 : 1,
      );
    // `live.version` stands for the live state (mutated in place, bumped on each change).
  }, [live.version, view]);
  const pages = Math.ceil(rows.length / PAGE_SIZE);
  const current = Math.min(page, Math.max(0, pages - 1));
  return (
    <section>
      <PageHeader title="Alerts" />
      <div class="toolbar" role="group" aria-label="Which alerts">
        <button type="button" aria-pressed={view === 'open'} onClick={() => (setView('open'), setPage(0))}>
          Open
        </button>
        <button type="button" aria-pressed={view === 'all'} onClick={() => (setView('all'), setPage(0))}>
          All transitions
        </button>
      </div>
      {live.loaded && rows.length === 0 && <p>{view === 'open' ? 'No open alert.' : 'No alert yet.'}</p>}
      <ul class="alerts" aria-label="Alerts">
        {rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE).map((a) => (
          <AlertRow
            key={a.key}
            alert={a}
            ackKey={episodeKey(a, live.alerts)}
            tagName={tagNames.get(a.tag)}
            showAcks={view === 'open'}
          />
        ))}
      </ul>
      <Pager page={current} pages={pages} total={rows.length} onPage={setPage} label="alerts" />
    </section>
  );
}

/** One alert; `showAcks` loads who acknowledged it (open alerts: one request per row of the page). */
function AlertRow({
  alert: a,
  ackKey,
  tagName,
  showAcks,
}: {
  alert: AlertEvent;
  ackKey: string;
  tagName?: string;
  showAcks: boolean;
}) {
  const [ackOpen, setAckOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [acks, setAcks] = useState<Ack[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const k = encodeURIComponent(ackKey);
  const loadAcks = async () => {
    try {
      const r = await api<AlertNotifications>('GET', `/api/v1/alerts/${k}/notifications`);
      setAcks(r.acknowledgements);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    if (showAcks) void loadAcks();
    // Once per alert shown; acknowledging reloads them.
  }, [ackKey, showAcks]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', `/api/v1/alerts/${k}/ack`, comment.trim() ? { comment: comment.trim() } : {});
      setAckOpen(false);
      setComment('');
      await loadAcks();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const id = `ack-${a.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <li class={`alert alert-${a.severity}`} data-key={a.key}>
      <div class="alert-head">
        <span class={`pill pill-${a.severity === 'critical' ? 'critical' : 'warning'}`}>{a.severity}</span>
        <strong>{a.rule}</strong>
        <span>{a.transition}</span>
        <a href={`/tags/${encodeURIComponent(a.tag)}`}>{tagName ?? a.tag}</a>
        <span class="muted">
          since {formatTime(a.startedAt)}
          {a.endedAt ? ` until ${formatTime(a.endedAt)}` : ''}
          {a.value !== undefined ? ` · value ${a.value}${a.unit ?? ''}` : ''}
          {a.bound !== undefined ? ` · bound ${a.bound}${a.unit ?? ''}` : ''}
          {a.late ? ' · late' : ''}
        </span>
      </div>
      <div class="row">
        <button type="button" aria-expanded={ackOpen} aria-controls={id} onClick={() => setAckOpen(!ackOpen)}>
          Acknowledge…
        </button>
        <button type="button" onClick={() => void loadAcks()}>
          Show acknowledgements
        </button>
      </div>
      {ackOpen && (
        <form id={id} class="ack-form" onSubmit={(e) => void submit(e)}>
          <label>
            Comment (optional)
            <textarea
              name="comment"
              maxLength={500}
              rows={2}
              value={comment}
              onInput={(e) => setComment(e.currentTarget.value)}
            />
          </label>
          <button type="submit" class="primary" disabled={busy}>
            Confirm acknowledgement
          </button>
        </form>
      )}
      {error !== undefined && <ErrorBox error={error} />}
      {acks && (
        <div class="acks" role="status">
          {acks.length === 0
            ? 'Not acknowledged yet.'
            : acks.map((x) => (
                <p key={`${x.actor}-${x.at}`}>
                  Acknowledged by {x.actor} ({x.via}) at {formatTime(x.at)}
                  {x.comment ? `: “${x.comment}”` : ''}
                </p>
              ))}
        </div>
      )}
    </li>
  );
}

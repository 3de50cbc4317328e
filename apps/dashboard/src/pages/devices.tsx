import { useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { formatAgo, type Hub, type HubSecret, type RegisteredHub, type Tag } from '../model';
import { loadHubs, loadTags, useLive } from '../store';
import { ErrorBox, PageHeader, Pager } from '../ui';
import { PAGE_SIZE } from './tags';

/** Hubs (registration, secret rotation: the new secret is shown once) and tags (registration, profile). */
export function DevicesPage() {
  return (
    <section>
      <PageHeader title="Devices" />
      <Hubs />
      <Tags />
    </section>
  );
}

function Hubs() {
  const live = useLive();
  const [secret, setSecret] = useState<{ imei: string; secret: string }>();
  const [error, setError] = useState<unknown>();
  const [imei, setImei] = useState('');
  const [name, setName] = useState('');
  const rotate = async (h: Hub) => {
    if (!confirm(`Rotate the secret of ${h.name}? The hub must be given the new one.`)) return;
    setError(undefined);
    try {
      setSecret(await api<HubSecret>('POST', `/api/v1/hubs/${h.imei}/secret`));
    } catch (e) {
      setError(e);
    }
  };
  const register = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const r = await api<RegisteredHub>('POST', '/api/v1/hubs', { imei: imei.trim(), name });
      setSecret({ imei: r.hub.imei, secret: r.secret });
      setImei('');
      setName('');
      await loadHubs();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h2>Hubs</h2>
      {secret && (
        <div class="secret" role="alert">
          <p>
            New MQTT secret of hub <span class="mono">{secret.imei}</span> (username = IMEI). It is shown{' '}
            <strong>once</strong>: copy it to the hub now.
          </p>
          <p>
            <code data-testid="hub-secret">{secret.secret}</code>
          </p>
          <button type="button" onClick={() => setSecret(undefined)}>
            I have copied it
          </button>
        </div>
      )}
      {error !== undefined && <ErrorBox error={error} />}
      <table class="list" aria-label="Hubs">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">IMEI</th>
            <th scope="col">Connection</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {live.hubs.map((h) => (
            <tr key={h.imei}>
              <td>{h.name}</td>
              <td class="mono">{h.imei}</td>
              <td>
                {h.status ?? 'unknown'} {h.statusAt ? `(${formatAgo(h.statusAt, Date.now())})` : ''}
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => void rotate(h)}
                  aria-label={`Rotate secret of ${h.name}`}
                >
                  Rotate secret
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="inline-form" onSubmit={(e) => void register(e)} aria-label="Register a hub">
        <label>
          IMEI
          <input
            name="imei"
            inputMode="numeric"
            required
            value={imei}
            onInput={(e) => setImei(e.currentTarget.value)}
          />
        </label>
        <label>
          Name
          <input name="hubName" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit">Register hub</button>
      </form>
    </>
  );
}

function Tags() {
  const live = useLive();
  const [error, setError] = useState<unknown>();
  const [page, setPage] = useState(0);
  const [query, setQuery] = useState('');
  const [mac, setMac] = useState('');
  const [name, setName] = useState('');
  const [profileId, setProfileId] = useState('');
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    return live.tags.filter((t) => !q || t.name.toLowerCase().includes(q) || t.mac.toLowerCase().includes(q));
  }, [live.tags, query]);
  const pages = Math.ceil(rows.length / PAGE_SIZE);
  const current = Math.min(page, Math.max(0, pages - 1));
  const assign = async (t: Tag, id: string) => {
    setError(undefined);
    try {
      await api('PATCH', `/api/v1/tags/${encodeURIComponent(t.mac)}`, { profileId: id || null });
      await loadTags();
    } catch (e) {
      setError(e);
    }
  };
  const register = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api('POST', '/api/v1/tags', { mac: mac.trim(), name, ...(profileId ? { profileId } : {}) });
      setMac('');
      setName('');
      await loadTags();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h2>Tags</h2>
      <form class="inline-form" onSubmit={(e) => void register(e)} aria-label="Register a tag">
        <label>
          MAC
          <input name="mac" required value={mac} onInput={(e) => setMac(e.currentTarget.value)} />
        </label>
        <label>
          Name
          <input name="tagName" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Profile
          <select name="profileId" value={profileId} onChange={(e) => setProfileId(e.currentTarget.value)}>
            <option value="">None</option>
            {live.profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Register tag</button>
      </form>
      {error !== undefined && <ErrorBox error={error} />}
      <div class="filters" role="search">
        <label>
          Search name or MAC
          <input
            type="search"
            name="deviceTagQuery"
            value={query}
            onInput={(e) => {
              setQuery(e.currentTarget.value);
              setPage(0);
            }}
          />
        </label>
      </div>
      <table class="list" aria-label="Tag profiles">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">MAC</th>
            <th scope="col">Profile</th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE).map((t) => (
            <tr key={t.mac}>
              <td>{t.name}</td>
              <td class="mono">{t.mac}</td>
              <td>
                <select
                  aria-label={`Profile of ${t.name}`}
                  value={t.profileId ?? ''}
                  onChange={(e) => void assign(t, e.currentTarget.value)}
                >
                  <option value="">None</option>
                  {live.profiles.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={current} pages={pages} total={rows.length} onPage={setPage} label="tags" />
    </>
  );
}

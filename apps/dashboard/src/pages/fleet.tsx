import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { api } from '../api';
import {
  formatAgo,
  openAlerts,
  tagStatus,
  type Answer,
  type HubPosition,
  type HubTrail,
  type TagStatus,
} from '../model';
import { textElement } from '../safe-dom';
import { useLive } from '../store';
import { ErrorBox, PageHeader, StatusPill } from '../ui';

/** Trail length drawn per hub, ms. */
const TRAIL_MS = 6 * 3_600_000;
/** How often positions are re-read (the stream carries readings, not fixes), ms. */
const POSITIONS_REFRESH_MS = 30_000;

/**
 * Tile URL template for production (DASHBOARD_TILE_URL, put in a `<meta>` by
 * the API). Empty by default: the map is a plain background with vector
 * layers, and needs no internet.
 */
const tileUrl = (): string =>
  document.querySelector<HTMLMetaElement>('meta[name="coldchain-tile-url"]')?.content.trim() ?? '';

const STATUS_ORDER: TagStatus[] = ['critical', 'warning', 'silent', 'ok'];

export function FleetPage() {
  const live = useLive();
  const [positions, setPositions] = useState<HubPosition[]>([]);
  const [trails, setTrails] = useState<Map<string, Array<[number, number]>>>(new Map());
  const [error, setError] = useState<unknown>();
  const host = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | undefined>(undefined);
  const layer = useRef<L.LayerGroup | undefined>(undefined);
  const fitted = useRef(false);

  useEffect(() => {
    let stop = false;
    const load = async () => {
      try {
        const { positions: latest } = await api<Answer<'/api/v1/positions/latest', 'get'>>(
          'GET',
          '/api/v1/positions/latest',
        );
        const to = Date.now();
        const entries = await Promise.all(
          latest.map(async (p) => {
            const fixes = await api<HubTrail>(
              'GET',
              `/api/v1/hubs/${p.hub}/positions?from=${to - TRAIL_MS}&to=${to}`,
            ).then(
              (r) => r.positions,
              () => [],
            );
            return [p.hub, fixes.map((f) => [f.lat, f.lon] as [number, number])] as const;
          }),
        );
        if (stop) return;
        setPositions(latest);
        setTrails(new Map(entries));
        setError(undefined);
      } catch (e) {
        if (!stop) setError(e);
      }
    };
    void load();
    const timer = setInterval(() => void load(), POSITIONS_REFRESH_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, []);

  useEffect(() => {
    const m = L.map(host.current!, { worldCopyJump: true, keyboard: true }).setView([50, 10], 4);
    const url = tileUrl();
    if (url) L.tileLayer(url, { maxZoom: 18 }).addTo(m);
    layer.current = L.layerGroup().addTo(m);
    map.current = m;
    return () => {
      m.remove();
      map.current = undefined;
    };
  }, []);

  const hubNames = useMemo(() => new Map(live.hubs.map((h) => [h.imei, h.name])), [live.hubs]);

  useEffect(() => {
    const m = map.current;
    const g = layer.current;
    if (!m || !g) return;
    g.clearLayers();
    const bounds: Array<[number, number]> = [];
    for (const p of positions) {
      const trail = trails.get(p.hub) ?? [];
      if (trail.length > 1) L.polyline(trail, { color: '#1a56db', weight: 3, opacity: 0.7 }).addTo(g);
      const online = live.hubs.find((h) => h.imei === p.hub)?.status !== 'offline';
      L.circleMarker([p.lat, p.lon], {
        radius: 8,
        color: '#ffffff',
        weight: 2,
        fillColor: online ? '#1e7b34' : '#6b7280',
        fillOpacity: 1,
      })
        // An element, not a string: Leaflet puts a string tooltip in with innerHTML.
        .bindTooltip(textElement(`${hubNames.get(p.hub) ?? p.hub} · ${formatAgo(p.fixAt, Date.now())}`), {
          permanent: true,
          direction: 'right',
        })
        .addTo(g);
      bounds.push([p.lat, p.lon], ...trail);
    }
    if (!fitted.current && bounds.length) {
      m.fitBounds(bounds, { padding: [40, 40], maxZoom: 13 });
      fitted.current = true;
    }
  }, [positions, trails, hubNames, live.hubs]);

  // Status counts per hub, from each tag's latest reading (which names its hub).
  const perHub = useMemo(() => {
    const open = openAlerts(live.alerts);
    const profiles = new Map(live.profiles.map((p) => [p.id, p]));
    const now = Date.now();
    const out = new Map<string, Record<TagStatus, number>>();
    for (const t of live.tags) {
      const latest = live.latest.get(t.mac);
      const hub = latest?.hub ?? '';
      const s = tagStatus(latest, open.get(t.mac), t.profileId ? profiles.get(t.profileId) : undefined, now);
      const c = out.get(hub) ?? { ok: 0, warning: 0, critical: 0, silent: 0 };
      c[s]++;
      out.set(hub, c);
    }
    return out;
    // `live.version` stands for the live state (mutated in place, bumped on each change).
  }, [live.version]);

  const focusHub = (imei: string) => {
    const p = positions.find((x) => x.hub === imei);
    if (p) map.current?.setView([p.lat, p.lon], Math.max(map.current.getZoom(), 10));
  };

  return (
    <section>
      <PageHeader title="Fleet" />
      {error !== undefined && <ErrorBox error={error} />}
      <div class="fleet">
        <div
          ref={host}
          class="map"
          role="region"
          aria-label={`Map of ${positions.length} hubs with their trails of the last 6 hours`}
          data-testid="map"
          data-markers={positions.length}
        />
        <table class="list" aria-label="Hubs">
          <thead>
            <tr>
              <th scope="col">Hub</th>
              <th scope="col">Connection</th>
              <th scope="col">Tags</th>
              <th scope="col">Last fix</th>
            </tr>
          </thead>
          <tbody>
            {live.hubs.map((h) => {
              const c = perHub.get(h.imei);
              const p = positions.find((x) => x.hub === h.imei);
              return (
                <tr key={h.imei}>
                  <td>
                    {p ? (
                      <button type="button" class="link" onClick={() => focusHub(h.imei)}>
                        {h.name}
                      </button>
                    ) : (
                      h.name
                    )}
                  </td>
                  <td>{h.status ?? 'unknown'}</td>
                  <td>
                    {c
                      ? STATUS_ORDER.filter((s) => c[s]).map((s) => (
                          <span key={s} class="count">
                            <StatusPill status={s} /> {c[s]}
                          </span>
                        ))
                      : '—'}
                  </td>
                  <td>{p ? formatAgo(p.fixAt, Date.now()) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

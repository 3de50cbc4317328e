import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { accessToken, api, ApiError } from '../api';
import {
  formatAgo,
  formatTemp,
  formatTime,
  openAlerts,
  tagStatus,
  type Excursion,
  type Series,
  type SeriesPoint,
  type Statistics,
  type TagReadings,
} from '../model';
import { onReading, useLive } from '../store';
import { ErrorBox, PageHeader, StatusPill } from '../ui';

const RANGES = [
  { label: '1 h', ms: 3_600_000 },
  { label: '6 h', ms: 6 * 3_600_000 },
  { label: '24 h', ms: 24 * 3_600_000 },
  { label: '7 d', ms: 7 * 24 * 3_600_000 },
];
/** Points asked of the series endpoint: about one per horizontal pixel of a wide chart. */
const MAX_POINTS = 800;

type Band = Series['band'];

/**
 * Excursions of a raw or bucketed series outside the band: runs of
 * consecutive points beyond one bound (the statistics endpoint gives the
 * exact ones, gaps excluded; this is the fallback while it is absent).
 */
export function excursionsOf(points: readonly SeriesPoint[], band: Band): Excursion[] {
  const out: Excursion[] = [];
  let open: Excursion | undefined;
  for (const p of points) {
    const c = p.c;
    const side =
      c === undefined
        ? undefined
        : band.high !== undefined && c > band.high
          ? 'above'
          : band.low !== undefined && c < band.low
            ? 'below'
            : undefined;
    if (open && side !== open.side) {
      open.endedAt = p.t;
      open.durationMs = p.t - open.startedAt;
      out.push(open);
      open = undefined;
    }
    if (side && c !== undefined) {
      if (!open)
        open = {
          side,
          bound: side === 'above' ? band.high! : band.low!,
          startedAt: p.t,
          durationMs: 0,
          peakC: c,
        };
      else open.peakC = side === 'above' ? Math.max(open.peakC, c) : Math.min(open.peakC, c);
    }
  }
  if (open) {
    const last = points[points.length - 1];
    open.durationMs = last.t - open.startedAt;
    out.push(open);
  }
  return out;
}

/** The series, from the reporting endpoint, or raw readings when that is not available. */
async function fetchSeries(mac: string, from: number, to: number, fallbackBand: Band): Promise<Series> {
  const m = encodeURIComponent(mac);
  try {
    return await api<Series>('GET', `/api/v1/tags/${m}/series?from=${from}&to=${to}&maxPoints=${MAX_POINTS}`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    // A 404 for the tag itself comes again from /readings below.
  }
  const { readings } = await api<TagReadings>(
    'GET',
    `/api/v1/tags/${m}/readings?from=${from}&to=${to}&limit=10000`,
  );
  // The series endpoint's answer for raw readings, with the band the page already knows.
  return {
    tag: mac,
    from,
    to,
    stepMs: null,
    band: fallbackBand,
    points: readings.map((r) => ({ t: r.ts, c: r.temperature, humidity: r.humidity })),
  };
}

async function download(path: string, fileName: string): Promise<void> {
  // Downloads go through fetch: a plain link could not carry the Bearer token.
  const token = await accessToken();
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token ?? ''}` } });
  if (!res.ok) throw new ApiError(res.status, undefined, `download failed: ${res.status} ${res.statusText}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function TagPage({ mac }: { mac: string }) {
  const live = useLive();
  const tag = live.tags.find((t) => t.mac === mac);
  const profile = live.profiles.find((p) => p.id === tag?.profileId);
  const [rangeMs, setRangeMs] = useState(RANGES[0].ms);
  const [series, setSeries] = useState<Series>();
  const [stats, setStats] = useState<Statistics>();
  const [error, setError] = useState<unknown>();
  const [to, setTo] = useState(() => Date.now());
  const from = to - rangeMs;
  const fallbackBand = useMemo<Band>(
    () => (profile ? { low: profile.temperature.min, high: profile.temperature.max } : {}),
    [profile],
  );

  useEffect(() => {
    let stale = false;
    setError(undefined);
    fetchSeries(mac, from, to, fallbackBand)
      .then((s) => !stale && setSeries(s))
      .catch((e: unknown) => !stale && setError(e));
    api<Statistics>('GET', `/api/v1/tags/${encodeURIComponent(mac)}/statistics?from=${from}&to=${to}`)
      .then((s) => !stale && setStats(s))
      .catch(() => !stale && setStats(undefined)); // optional: the chart computes its own excursions
    return () => {
      stale = true;
    };
  }, [mac, from, to, fallbackBand]);

  // Live: every reading of this tag is appended to the chart as it arrives.
  useEffect(
    () =>
      onReading((r) => {
        if (r.tag !== mac || r.temperature === undefined) return;
        setSeries((s) =>
          s && (!s.points.length || s.points[s.points.length - 1].t < r.ts)
            ? { ...s, points: [...s.points, { t: r.ts, c: r.temperature, humidity: r.humidity }] }
            : s,
        );
      }),
    [mac],
  );

  const band =
    series && (series.band.low !== undefined || series.band.high !== undefined) ? series.band : fallbackBand;
  const excursions = useMemo(
    () => (stats ? stats.excursions : series ? excursionsOf(series.points, band) : []),
    [stats, series, band],
  );
  const latest = live.latest.get(mac);
  const status = tagStatus(latest, openAlerts(live.alerts).get(mac), profile, Date.now());
  const title = tag ? `${tag.name}` : mac;
  const m = encodeURIComponent(mac);
  const fileStem = mac.replace(/:/g, '-'); // browsers replace ':' in file names
  return (
    <section>
      <PageHeader title={title}>
        <p>
          <a href="/tags">← All tags</a>
        </p>
      </PageHeader>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusPill status={status} />
          </dd>
        </div>
        <div>
          <dt>MAC</dt>
          <dd class="mono">{mac}</dd>
        </div>
        <div>
          <dt>Profile</dt>
          <dd>
            {profile ? `${profile.name} (${profile.temperature.min} – ${profile.temperature.max} °C)` : '—'}
          </dd>
        </div>
        <div>
          <dt>Latest</dt>
          <dd data-testid="latest-temp">
            {formatTemp(latest?.temperature)} · {formatAgo(latest?.ts, Date.now())}
          </dd>
        </div>
      </dl>
      <div class="toolbar" role="group" aria-label="Time range">
        {RANGES.map((r) => (
          <button
            key={r.ms}
            type="button"
            aria-pressed={r.ms === rangeMs}
            onClick={() => {
              setRangeMs(r.ms);
              setTo(Date.now());
            }}
          >
            {r.label}
          </button>
        ))}
        <button type="button" onClick={() => setTo(Date.now())}>
          Reload
        </button>
        <span class="spacer" />
        <button
          type="button"
          onClick={() =>
            void download(
              `/api/v1/tags/${m}/readings.csv?from=${from}&to=${to}`,
              `${fileStem}-readings.csv`,
            ).catch(setError)
          }
        >
          Download CSV
        </button>
        <button
          type="button"
          onClick={() =>
            void download(
              `/api/v1/tags/${m}/report.pdf?from=${from}&to=${to}`,
              `${fileStem}-report.pdf`,
            ).catch(setError)
          }
        >
          Download PDF report
        </button>
      </div>
      {error !== undefined && <ErrorBox error={error} />}
      {series && <Chart series={series} band={band} excursions={excursions} from={from} />}
      {series && (
        <p class="muted" data-testid="point-count">
          {series.points.length} points{' '}
          {series.stepMs ? `(means of ${Math.round(series.stepMs / 1000)} s buckets)` : '(raw readings)'}
        </p>
      )}
      {stats && (
        <dl class="facts" aria-label="Statistics">
          <div>
            <dt>Min / mean / max</dt>
            <dd>
              {formatTemp(stats.minC)} / {formatTemp(stats.meanC)} / {formatTemp(stats.maxC)}
            </dd>
          </div>
          <div>
            <dt>MKT</dt>
            <dd>{formatTemp(stats.mktC)}</dd>
          </div>
          <div>
            <dt>Out of range</dt>
            <dd>{Math.round((stats.aboveMs + stats.belowMs) / 60_000)} min</dd>
          </div>
        </dl>
      )}
      <h2>Excursions</h2>
      {excursions.length === 0 ? (
        <p>None in this range.</p>
      ) : (
        <table class="list" aria-label="Excursions">
          <thead>
            <tr>
              <th scope="col">Side</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
              <th scope="col" class="num">
                Duration
              </th>
              <th scope="col" class="num">
                Peak
              </th>
            </tr>
          </thead>
          <tbody>
            {excursions.map((x) => (
              <tr key={x.startedAt}>
                <td>
                  {x.side} {x.bound} °C
                </td>
                <td>{formatTime(x.startedAt)}</td>
                <td>{x.endedAt ? formatTime(x.endedAt) : 'ongoing'}</td>
                <td class="num">{Math.round(x.durationMs / 60_000)} min</td>
                <td class="num">{formatTemp(x.peakC)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const BAND_FILL = 'rgba(30, 123, 52, 0.12)';
const EXCURSION_FILL = 'rgba(176, 0, 32, 0.16)';

/** uPlot chart: the band shaded green, excursions shaded red, the temperature line (min/max when bucketed). */
function Chart({
  series,
  band,
  excursions,
  from,
}: {
  series: Series;
  band: Band;
  excursions: Excursion[];
  from: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const shade = useRef({ band, excursions });
  shade.current = { band, excursions };
  const bucketed = series.stepMs !== null;

  const data = useMemo<uPlot.AlignedData>(() => {
    const xs = series.points.map((p) => p.t / 1000);
    const c = series.points.map((p) => p.c ?? null);
    if (!bucketed) return [xs, c];
    return [xs, c, series.points.map((p) => p.min ?? null), series.points.map((p) => p.max ?? null)];
  }, [series, bucketed]);

  useEffect(() => {
    const el = host.current!;
    const opts: uPlot.Options = {
      width: el.clientWidth || 800,
      height: 320,
      scales: {
        x: { time: true, range: (_u, min, max) => [Math.min(min, from / 1000), max] },
        y: {
          range: (_u, min, max) => {
            const lo = Math.min(min, shade.current.band.low ?? min) - 1;
            const hi = Math.max(max, shade.current.band.high ?? max) + 1;
            return [lo, hi];
          },
        },
      },
      axes: [{ stroke: '#1f2933' }, { stroke: '#1f2933', label: '°C' }],
      series: [
        {},
        {
          label: 'Temperature',
          stroke: '#1a56db',
          width: 2,
          spanGaps: false,
          value: (_u, v) => formatTemp(v ?? undefined),
        },
        ...(bucketed
          ? [
              { label: 'Min', stroke: '#6b7280', width: 1, dash: [4, 4] },
              { label: 'Max', stroke: '#6b7280', width: 1, dash: [4, 4] },
            ]
          : []),
      ],
      hooks: {
        drawClear: [
          (u) => {
            const { ctx, bbox } = u;
            const { band: b, excursions: xs } = shade.current;
            ctx.save();
            if (b.low !== undefined || b.high !== undefined) {
              const top = b.high !== undefined ? u.valToPos(b.high, 'y', true) : bbox.top;
              const bottom = b.low !== undefined ? u.valToPos(b.low, 'y', true) : bbox.top + bbox.height;
              ctx.fillStyle = BAND_FILL;
              ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
            }
            ctx.fillStyle = EXCURSION_FILL;
            for (const x of xs) {
              const left = Math.max(bbox.left, u.valToPos(x.startedAt / 1000, 'x', true));
              const right = Math.min(
                bbox.left + bbox.width,
                u.valToPos((x.endedAt ?? x.startedAt + x.durationMs) / 1000, 'x', true),
              );
              ctx.fillRect(left, bbox.top, Math.max(2, right - left), bbox.height);
            }
            ctx.restore();
          },
        ],
      },
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: 320 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = undefined;
    };
    // A new chart per range and kind of series; data changes below only update it.
  }, [bucketed, from]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data, band, excursions]);

  const last = series.points[series.points.length - 1];
  return (
    <figure class="chart">
      <div
        ref={host}
        role="img"
        aria-label={`Temperature chart, ${series.points.length} points${last?.c !== undefined ? `, latest ${formatTemp(last.c)}` : ''}, band ${band.low ?? '−∞'} to ${band.high ?? '+∞'} °C, ${excursions.length} excursions`}
        data-testid="chart"
        data-points={series.points.length}
      />
      <figcaption class="muted">
        <span class="swatch swatch-band" /> allowed band <span class="swatch swatch-exc" /> excursion
      </figcaption>
    </figure>
  );
}

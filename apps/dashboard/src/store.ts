import { useEffect, useState } from 'preact/hooks';
import { accessToken, api } from './api';
import type { AlertEvent, Answer, Hub, LatestPage, Profile, Reading, Tag } from './model';

/**
 * The tenant's live state, shared by every page: tags, hubs, profiles,
 * latest readings and recent alerts, loaded once after login and kept
 * current by the live stream (`GET /api/v1/stream`, Server-Sent Events).
 * Changes are announced at most once per animation frame, however many
 * readings arrive (1,000 tags × 1 reading/s must not re-render 1,000 times).
 */

/** Alerts kept in memory (newest first); the inbox pages through the API for more. */
const MAX_ALERTS = 500;
/** Longest wait before reconnecting the stream after an error, ms. */
const MAX_BACKOFF_MS = 30_000;
/** Latest readings per request (the API's largest page): 10,000 tags are 5 requests. */
const LATEST_PAGE = 2000;
/** While the stream is not live, latest readings and alerts are re-read this often instead, ms. */
const POLL_MS = 5_000;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'off';

export interface LiveState {
  tags: Tag[];
  hubs: Hub[];
  profiles: Profile[];
  latest: Map<string, Reading>;
  alerts: AlertEvent[];
  stream: StreamState;
  loaded: boolean;
  /** Bumped on every change, so that memoised views can key on it. */
  version: number;
}

export const state: LiveState = {
  tags: [],
  hubs: [],
  profiles: [],
  latest: new Map(),
  alerts: [],
  stream: 'off',
  loaded: false,
  version: 0,
};

const listeners = new Set<() => void>();
const readingListeners = new Set<(r: Reading) => void>();
let frame: number | undefined;

export function changed(): void {
  state.version++;
  if (frame !== undefined) return;
  frame = requestAnimationFrame(() => {
    frame = undefined;
    for (const l of listeners) l();
  });
}

/** Re-renders the calling component when the live state changes (batched per frame). */
export function useLive(): LiveState {
  const [, setVersion] = useState(state.version);
  useEffect(() => {
    const l = () => setVersion(state.version);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return state;
}

/** Every reading as it arrives (the tag chart appends them). */
export function onReading(listener: (r: Reading) => void): () => void {
  readingListeners.add(listener);
  return () => void readingListeners.delete(listener);
}

export async function loadTags(): Promise<void> {
  state.tags = (await api<Answer<'/api/v1/tags', 'get'>>('GET', '/api/v1/tags')).tags;
  changed();
}
export async function loadHubs(): Promise<void> {
  state.hubs = (await api<Answer<'/api/v1/hubs', 'get'>>('GET', '/api/v1/hubs')).hubs.sort((a, b) =>
    a.name.localeCompare(b.name, undefined, { numeric: true }),
  );
  changed();
}
export async function loadProfiles(): Promise<void> {
  state.profiles = (await api<Answer<'/api/v1/profiles', 'get'>>('GET', '/api/v1/profiles')).profiles;
  changed();
}
/**
 * Every tag's latest reading, page by page (the API pages by tag MAC): the
 * pages show tags in MAC order as they arrive, and each answer stays small
 * however many tags the tenant has.
 */
export async function loadLatest(): Promise<void> {
  let after: string | null = null;
  do {
    const query: string = after === null ? '' : `&after=${encodeURIComponent(after)}`;
    const page: LatestPage = await api('GET', `/api/v1/readings/latest?limit=${LATEST_PAGE}${query}`);
    for (const r of page.readings) mergeReading(r);
    changed();
    after = page.next;
  } while (after !== null);
}
export async function loadAlerts(): Promise<void> {
  state.alerts = (
    await api<Answer<'/api/v1/alerts', 'get'>>('GET', `/api/v1/alerts?limit=${MAX_ALERTS}`)
  ).alerts;
  changed();
}

function mergeReading(r: Reading): void {
  const seen = state.latest.get(r.tag);
  if (!seen || seen.ts <= r.ts) state.latest.set(r.tag, { ...seen, ...r });
}

/** Loads everything after login; each part fails alone (a 403 for a viewer's page does not stop the rest). */
export async function loadAll(): Promise<void> {
  await Promise.allSettled([loadTags(), loadHubs(), loadProfiles(), loadLatest(), loadAlerts()]);
  state.loaded = true;
  changed();
}

let source: EventSource | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let backoffMs = 1000;
let pollTimer: ReturnType<typeof setInterval> | undefined;
let running = false;

/**
 * Opens the tenant's live stream. EventSource cannot send headers, so the
 * access token goes in the query (`access_token`, RFC 6750 §2.3). The
 * server ends it when that token expires; on that or any error the stream is
 * reopened with a fresh token, with growing back-off, and latest readings and
 * alerts are re-read once it is open again (events of the gap are not replayed);
 * meanwhile latest readings and alerts are polled, so the pages stay current
 * (slower) without it.
 */
export function startStream(): void {
  running = true;
  void connect();
  pollTimer = setInterval(() => {
    if (state.stream !== 'live') void Promise.allSettled([loadLatest(), loadAlerts()]);
  }, POLL_MS);
}

export function stopStream(): void {
  running = false;
  if (retryTimer) clearTimeout(retryTimer);
  if (pollTimer) clearInterval(pollTimer);
  source?.close();
  source = undefined;
  state.stream = 'off';
  changed();
}

async function connect(): Promise<void> {
  const token = await accessToken();
  if (!running) return;
  if (!token) return stopStream();
  state.stream = state.stream === 'off' ? 'connecting' : 'reconnecting';
  changed();
  const es = new EventSource(`/api/v1/stream?access_token=${encodeURIComponent(token)}`);
  source = es;
  es.onopen = () => {
    backoffMs = 1000;
    // The server ends the stream when the token expires: catch up on what the gap may have missed.
    if (state.stream === 'reconnecting') void Promise.allSettled([loadLatest(), loadAlerts()]);
    state.stream = 'live';
    changed();
  };
  es.addEventListener('reading', (e) => {
    const r = JSON.parse((e as MessageEvent<string>).data) as Reading;
    mergeReading(r);
    for (const l of readingListeners) l(r);
    changed();
  });
  es.addEventListener('hub-status', (e) => {
    const s = JSON.parse((e as MessageEvent<string>).data) as {
      hub: string;
      status: 'online' | 'offline';
      at: number;
    };
    state.hubs = state.hubs.map((h) => (h.imei === s.hub ? { ...h, status: s.status, statusAt: s.at } : h));
    changed();
  });
  es.addEventListener('alert', (e) => {
    const a = JSON.parse((e as MessageEvent<string>).data) as AlertEvent;
    if (!state.alerts.some((x) => x.key === a.key)) state.alerts = [a, ...state.alerts].slice(0, MAX_ALERTS);
    changed();
  });
  es.onerror = () => {
    // The token may have expired under a reconnect: reopen ourselves with a fresh one.
    es.close();
    if (source !== es || !running) return;
    state.stream = 'reconnecting';
    changed();
    retryTimer = setTimeout(() => void connect(), backoffMs);
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
  };
}

/** Forgets the tenant's data (logout). */
export function resetState(): void {
  stopStream();
  Object.assign(state, {
    tags: [],
    hubs: [],
    profiles: [],
    latest: new Map(),
    alerts: [],
    loaded: false,
  });
  changed();
}

/**
 * The dashboard's door onto the operator API: Bearer access token, silent
 * refresh with the single-use refresh token, and the session's end (back to
 * the login page) on a 401 that a refresh cannot cure. The session lives in
 * sessionStorage: per tab, gone when the tab closes.
 */
import type { TokenPair } from './model';

export interface Session {
  email: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms at which the access token expires (from `expiresIn`). */
  expiresAt: number;
  mustChangePassword: boolean;
}

/** An API error body (ColdchainErrorFilter): `problems` names each field at fault on a 400. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly problems: string[] = [],
    readonly reason?: string,
  ) {
    super(message);
  }
}

const STORAGE_KEY = 'coldchain.session';
/** Refresh this long before the access token expires, ms. */
const REFRESH_MARGIN_MS = 30_000;

let session: Session | undefined = loadSession();
const listeners = new Set<() => void>();
let refreshing: Promise<boolean> | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

function setSession(next: Session | undefined): void {
  session = next;
  if (next) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  else sessionStorage.removeItem(STORAGE_KEY);
  scheduleRefresh();
  for (const l of listeners) l();
}

/** Refreshes shortly before expiry, so that the stream and the next request have a valid token. */
function scheduleRefresh(): void {
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = undefined;
  if (!session) return;
  const delay = Math.max(1000, session.expiresAt - Date.now() - REFRESH_MARGIN_MS);
  refreshTimer = setTimeout(() => void refresh(), delay);
}

// A session restored from sessionStorage (a reload) is refreshed on time too.
scheduleRefresh();

export const currentSession = (): Session | undefined => session;

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const fromPair = (email: string, p: TokenPair): Session => ({
  email,
  accessToken: p.accessToken,
  refreshToken: p.refreshToken,
  expiresAt: Date.now() + p.expiresIn * 1000,
  mustChangePassword: p.mustChangePassword,
});

async function errorOf(res: Response): Promise<ApiError> {
  let body: { error?: string; message?: string; problems?: string[]; reason?: string } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: the status says enough
  }
  return new ApiError(
    res.status,
    body.error,
    body.message ?? `${res.status} ${res.statusText}`,
    body.problems ?? [],
    body.reason,
  );
}

export async function login(email: string, password: string): Promise<Session> {
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw await errorOf(res);
  const s = fromPair(email, (await res.json()) as TokenPair);
  setSession(s);
  return s;
}

/** Exchanges the refresh token for a new pair, once at a time; false (and logged out) when refused. */
export function refresh(): Promise<boolean> {
  const s = session;
  if (!s) return Promise.resolve(false);
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: s.refreshToken }),
      });
      if (res.status === 401 || res.status === 400) {
        setSession(undefined);
        return false;
      }
      if (!res.ok) return false; // a server hiccup: keep the session, try again on the next request
      setSession(fromPair(s.email, (await res.json()) as TokenPair));
      return true;
    } catch {
      return false;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

/** A valid access token (refreshed first when about to expire), or undefined when logged out. */
export async function accessToken(): Promise<string | undefined> {
  if (session && session.expiresAt - Date.now() < REFRESH_MARGIN_MS / 2) await refresh();
  return session?.accessToken;
}

/**
 * One API call. A 401 is retried once after a refresh; a second 401 ends the
 * session (the app shows the login page). A 403 `password_change_required`
 * marks the session so the app shows the password change.
 */
export async function api<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const token = await accessToken();
  if (!token) throw new ApiError(401, 'unauthorized', 'not logged in');
  const res = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      // A Blob (an uploaded file) goes as its bytes, typed by the Blob; anything else as JSON.
      ...(body === undefined
        ? {}
        : {
            'Content-Type':
              body instanceof Blob ? body.type || 'application/octet-stream' : 'application/json',
          }),
    },
    body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
  });
  if (res.status === 401) {
    if (!retried && (await refresh())) return api<T>(method, path, body, true);
    const err = await errorOf(res);
    // The session guard always names a reason (token_expired, session_idle, ...): the session is over.
    if (err.reason) setSession(undefined);
    throw err;
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (err.code === 'password_change_required' && session)
      setSession({ ...session, mustChangePassword: true });
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api<void>('POST', '/api/v1/auth/change-password', { currentPassword, newPassword });
  // The change ends the user's other sessions; this one goes on, now unrestricted.
  if (session) setSession({ ...session, mustChangePassword: false });
}

export async function logout(): Promise<void> {
  try {
    if (session) await api<void>('POST', '/api/v1/auth/logout');
  } catch {
    // already ended server-side: forget it here too
  } finally {
    setSession(undefined);
  }
}

/** Renders any error for a person: the message, then one line per problem. */
export const describeError = (e: unknown): { message: string; problems: string[] } =>
  e instanceof ApiError
    ? { message: e.message, problems: e.problems }
    : { message: e instanceof Error ? e.message : String(e), problems: [] };

/**
 * Coldchain operator dashboard. Preact: components and hooks like React's in
 * 4 kB, so 1,000 tags, a map and a chart stay light; Leaflet draws the map,
 * uPlot the charts.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import './styles.css';
import { currentSession, logout, onSessionChange, type Session } from './api';
import { onLinkClick, usePath } from './router';
import { loadAll, resetState, startStream, useLive } from './store';
import { ChangePasswordPage, LoginPage } from './pages/login';
import { FleetPage } from './pages/fleet';
import { TagsPage } from './pages/tags';
import { TagPage } from './pages/tag';
import { AlertsPage } from './pages/alerts';
import { ProfilesPage } from './pages/profiles';
import { DevicesPage } from './pages/devices';
import { VerifyReportPage } from './pages/verify-report';
import { openAlerts } from './model';

function useSession(): Session | undefined {
  const [s, setS] = useState(currentSession());
  useEffect(() => onSessionChange(() => setS(currentSession())), []);
  return s;
}

const NAV = [
  { href: '/', label: 'Fleet' },
  { href: '/tags', label: 'Tags' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/profiles', label: 'Profiles' },
  { href: '/devices', label: 'Devices' },
  { href: '/verify', label: 'Verify report' },
];

function App() {
  const session = useSession();
  const ready = session && !session.mustChangePassword;
  useEffect(() => {
    if (!ready) return;
    void loadAll();
    startStream();
    return () => resetState();
  }, [ready]);
  if (!session) return <LoginPage />;
  if (session.mustChangePassword) return <ChangePasswordPage />;
  return <Shell email={session.email} />;
}

function Shell({ email }: { email: string }) {
  const path = usePath();
  const live = useLive();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After a navigation, focus moves to the new page's heading (keyboard and screen-reader users).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]);
  const open = [...openAlerts(live.alerts).values()].reduce((n, a) => n + a.length, 0);
  const section = '/' + (path.split('/')[1] ?? '');
  return (
    <div class="shell" onClick={onLinkClick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Coldchain</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.href}>
                <a href={n.href} aria-current={section === n.href ? 'page' : undefined}>
                  {n.label}
                  {n.href === '/alerts' && open > 0 && (
                    <span class="badge" aria-label={`${open} open`}>
                      {open}
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class={`stream stream-${live.stream}`} role="status" data-testid="stream-state">
          {live.stream === 'live' ? 'Live' : live.stream === 'off' ? 'Offline' : 'Connecting…'}
        </span>
        <span class="who">{email}</span>
        <button type="button" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <main id="main" ref={main}>
        <Route path={path} />
      </main>
    </div>
  );
}

function Route({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
      return <FleetPage />;
    case 'tags':
      return parts[1] ? <TagPage mac={parts[1]} /> : <TagsPage />;
    case 'alerts':
      return <AlertsPage />;
    case 'profiles':
      return <ProfilesPage />;
    case 'devices':
      return <DevicesPage />;
    case 'verify':
      return <VerifyReportPage />;
    default:
      return (
        <section>
          <h1 tabIndex={-1}>Not found</h1>
          <p>
            No page at {path}. <a href="/">Back to the fleet</a>.
          </p>
        </section>
      );
  }
}

render(<App />, document.getElementById('app')!);

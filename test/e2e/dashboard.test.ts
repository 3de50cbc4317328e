import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startFleet, type Fleet, type FleetHubSpec } from '@coldchain/firmware-sim';
import { demoFleetSpec } from '../../apps/platform/src/demo-fleet.service.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';

/**
 * The operator dashboard in Debian's Chromium (playwright-core; the browser is
 * installed by infra/install.sh, engine "chromium"), against the whole
 * platform in this process with two simulated demo hubs publishing every
 * second (one tag of hub 1 runs above its band, so an alert is raised).
 * Each page is screenshotted into /tmp/ and test/artifacts/screenshots/.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = ['/tmp', join('test', 'artifacts', 'screenshots')];
/** Bounded waits: the UI polls or streams, the fleet publishes every second. */
const UI_MS = 15_000;
const LIVE_MS = 60_000;
/**
 * The alarm engine decides a reading once readings measured 2 minutes later have arrived (its reorder
 * window), so the warm tag's alert comes about 2 minutes after the fleet starts; this wait begins later.
 */
const ALERT_MS = 200_000;
const BULK_TAGS = 1000;
/** Short access tokens, so that the suite runs through several silent refreshes (the UI refreshes 30 s before expiry). */
const TOKEN_TTL_S = 45;
/** The UI's silent refresh starts this long before its access token expires (REFRESH_MARGIN_MS in its api.ts). */
const REFRESH_MARGIN_MS = 30_000;
/** A reload is held back while the UI's refresh is due within this long, or in flight. */
const RELOAD_GUARD_MS = 3_000;

let platform: RunningPlatform;
let fleet: Fleet;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let base: string;
let token = { value: '', at: 0 };
let hubs: FleetHubSpec[];

const owner = () => platform.creds.users[0];

/**
 * Waits until `expression`, evaluated in the page, is truthy. Each check is a
 * one-shot `page.evaluate`: the string form of `page.waitForFunction` compiles
 * its predicate with eval inside the page, which the dashboard's CSP forbids.
 */
async function waitInPage(expression: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`!!(${expression})`))) {
    if (Date.now() > until) throw new Error(`not true within ${timeoutMs} ms in the page: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The one demo tag the fleet runs above its band (demoFleetSpec): the only tag
 * that raises an alert, so the alert tests pick its row, never "the first one".
 */
function warmTag(): { mac: string; max: number } {
  for (const t of hubs.flatMap((h) => h.tags)) {
    const { max } = platform.creds.tags.find((c) => c.mac === t.mac)!.profile.temperature;
    if ((t.setpointC ?? max) > max) return { mac: t.mac, max };
  }
  throw new Error('the demo fleet has no tag above its band');
}

/** The inbox row of the warm tag's high-temperature alert (one per tag and rule in the open view). */
const warmAlertRow = () =>
  page
    .locator('ul.alerts > li')
    .filter({ has: page.locator(`a[href="/tags/${encodeURIComponent(warmTag().mac)}"]`) })
    .filter({ hasText: 'temperature.high' });

let renewing: Promise<string> | undefined;

/**
 * The owner's access token for the test's own API calls, renewed by a new
 * login well before it expires; one login at a time, as parallel logins for
 * one email beyond LOGIN_MAX_FAILURES are refused like a guessing burst.
 */
async function ownerToken(): Promise<string> {
  if (Date.now() - token.at < (TOKEN_TTL_S * 1000) / 3) return token.value;
  renewing ??= (async () => {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: owner().email, password: owner().password }),
    });
    token = { value: ((await login.json()) as { accessToken: string }).accessToken, at: Date.now() };
    return token.value;
  })().finally(() => {
    renewing = undefined;
  });
  return renewing;
}

async function apiCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await ownerToken()}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/**
 * Loads a dashboard URL in the owner's logged-in page, never while its silent
 * refresh is due or in flight: a reload then drops the rotated refresh token,
 * and the next refresh presents the spent one, which ends the session (reuse
 * detection). Waits for the refreshed token to be stored instead of for time.
 */
async function openPage(path: string): Promise<void> {
  const session = "JSON.parse(sessionStorage.getItem('coldchain.session') ?? 'null')";
  const due = await page.evaluate<{ accessToken: string; inMs: number } | null>(
    `(${session}) && { accessToken: (${session}).accessToken, inMs: (${session}).expiresAt - ${REFRESH_MARGIN_MS} - Date.now() }`,
  );
  if (due && due.inMs < RELOAD_GUARD_MS)
    await waitInPage(
      `(${session})?.accessToken !== ${JSON.stringify(due.accessToken)}`,
      RELOAD_GUARD_MS + UI_MS,
    );
  await page.goto(`${base}${path}`);
}

async function shot(name: string): Promise<void> {
  for (const dir of SHOTS) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `dashboard-${name}.png`), fullPage: true });
  }
}

async function loginThroughUi(p: Page, email: string, password: string): Promise<void> {
  await p.goto(`${base}/`);
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Log in' }).click();
}

beforeAll(async () => {
  // `npm run build` builds it; a bare `npm run test:e2e` after a clean checkout builds it here.
  if (!existsSync('dist/dashboard/index.html'))
    execFileSync('npx', ['vite', 'build', '-c', 'apps/dashboard/vite.config.ts'], { stdio: 'inherit' });
  platform = await startPlatform({
    METADATA_REFRESH_MS: '200',
    ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_TTL_S),
  });
  base = platform.httpUrl;
  hubs = demoFleetSpec(platform.creds, 2);
  fleet = await startFleet({
    brokerUrl: platform.mqttUrl,
    hubs,
    publishIntervalMs: 1000,
    gps: true,
    failFast: false,
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await platform?.close();
});

describe('dashboard', () => {
  it('is served at / with SPA fallback, and leaves the API routes alone', async () => {
    const index = await fetch(`${base}/tags/AA:BB:CC:DD:EE:FF`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(await index.text()).toContain('<div id="app">');
    const unknownApi = await fetch(`${base}/api/v1/no-such-route`);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/docs/json`)).headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(404);
  });

  it('refuses a wrong password, then logs the demo owner in and shows the fleet', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: /log in/ }).waitFor({ timeout: UI_MS });
    await shot('login');
    await loginThroughUi(page, owner().email, 'wrong password');
    await page.getByRole('alert').waitFor({ timeout: UI_MS });
    expect(await page.getByRole('alert').textContent()).toMatch(/./);
    await loginThroughUi(page, owner().email, owner().password);
    await page.getByRole('heading', { name: 'Fleet' }).waitFor({ timeout: UI_MS });
    await page.locator('table[aria-label="Hubs"] tbody tr').first().waitFor({ timeout: UI_MS });
    expect(await page.locator('table[aria-label="Hubs"] tbody tr').count()).toBe(platform.creds.hubs.length);
    await page.locator('.leaflet-container').waitFor({ timeout: UI_MS });
    // No tile layer by default: nothing is fetched from the internet.
    expect(await page.locator('.leaflet-tile').count()).toBe(0);
    await shot('fleet');
  });

  it('lists the tags with status colours and sees a live reading arrive', async () => {
    await page.getByRole('link', { name: 'Tags' }).click();
    await page.getByRole('heading', { name: 'Tags' }).waitFor({ timeout: UI_MS });
    const tag = platform.creds.tags[0];
    const row = page.locator(`tr[data-mac="${tag.mac}"]`);
    await row.waitFor({ timeout: UI_MS });
    // A reading published by the simulated hub reaches the list (stream, or polling without it).
    await row.getByTestId('tag-temp').filter({ hasText: /°C/ }).waitFor({ timeout: LIVE_MS });
    expect(await row.getAttribute('data-status')).toMatch(/^(ok|warning|critical)$/);
    expect(await row.locator('.pill').textContent()).toMatch(/In range|Warning|Critical/);
    await shot('tags');
  });

  it('opens a tag chart that grows as readings arrive', async () => {
    const tag = platform.creds.tags[0];
    await page.locator(`tr[data-mac="${tag.mac}"] a`).click();
    const chart = page.getByTestId('chart');
    await chart.waitFor({ timeout: UI_MS });
    await page.locator('.uplot canvas').waitFor({ timeout: UI_MS });
    const before = Number(await chart.getAttribute('data-points'));
    await waitInPage(
      `Number(document.querySelector('[data-testid="chart"]').getAttribute('data-points')) > ${before}`,
      LIVE_MS,
    );
    expect(await page.getByTestId('latest-temp').textContent()).toMatch(/°C/);
    await shot('tag');
  });

  it('downloads the tag’s readings as CSV and its PDF report from the tag page', async () => {
    const tag = platform.creds.tags[0];
    await page.getByTestId('chart').waitFor({ timeout: UI_MS });
    const [csv] = await Promise.all([
      page.waitForEvent('download', { timeout: UI_MS }),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe(`${tag.mac.replace(/:/g, '-')}-readings.csv`);
    const csvText = readFileSync(await csv.path(), 'utf8');
    expect(csvText.split('\n').length).toBeGreaterThan(2); // a header and readings
    const [pdf] = await Promise.all([
      page.waitForEvent('download', { timeout: UI_MS }),
      page.getByRole('button', { name: 'Download PDF report' }).click(),
    ]);
    expect(pdf.suggestedFilename()).toBe(`${tag.mac.replace(/:/g, '-')}-report.pdf`);
    expect(
      readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });

  it('keeps what is typed into the profile editor in the frame it opens', async () => {
    await page.getByRole('link', { name: 'Profiles' }).click();
    await page.getByRole('heading', { name: 'Profiles' }).waitFor({ timeout: UI_MS });
    // In the page, in one go: open a profile, type as soon as its editor exists (a quick hand, a slow
    // device), then let the next frame and the task after it pass, when Preact runs effects. The editor
    // must show the chosen profile at once and must not reset the typed value afterwards.
    const seen = await page.evaluate<{ name?: string; min?: string }>(`(async () => {
      const editor = () => document.querySelector('form[aria-label="Profile editor"]');
      [...document.querySelectorAll('nav[aria-label="Profiles"] button')]
        .find((b) => b.textContent.startsWith('Fresh produce'))
        .click();
      for (let i = 0; i < 100 && !editor(); i++) await Promise.resolve(); // Preact renders in a microtask
      if (!editor()) return {};
      const name = editor().querySelector('input[name="name"]').value;
      const min = editor().querySelector('input[name="min"]');
      min.value = '1';
      min.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((settled) => requestAnimationFrame(() => setTimeout(settled, 0)));
      return { name, min: editor().querySelector('input[name="min"]').value };
    })()`);
    expect(seen).toEqual({ name: 'Fresh produce 0–4 °C', min: '1' });
  });

  it('shows the profile editor with the API’s 400 problems inline', async () => {
    await page.getByRole('button', { name: /Vaccines/ }).click();
    const editor = page.locator('form[aria-label="Profile editor"]');
    expect(await editor.getByLabel('Name', { exact: true }).inputValue()).toBe('Vaccines 2–8 °C');
    await editor.getByLabel('Minimum °C').fill('9');
    await editor.getByLabel('Maximum °C').fill('3');
    const [saved] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'PUT' && r.url().endsWith('/api/v1/profiles/demo-vaccines'),
        { timeout: UI_MS },
      ),
      editor.getByRole('button', { name: 'Save' }).click(),
    ]);
    expect(saved.request().postDataJSON()).toMatchObject({ temperature: { min: 9, max: 3 } });
    expect(saved.status()).toBe(400);
    const error = editor.locator('[role="alert"]');
    await error.waitFor({ timeout: UI_MS });
    expect(await error.textContent()).toMatch(/temperature|min|max/i);
    // Nothing was saved: the demo tags still run against the seeded band (a saved 2–3 °C band made every
    // vaccine tag raise an alert, and the inbox tests picked one of those).
    const { profiles } = await apiCall<{
      profiles: Array<{ id: string; version: number; temperature: unknown }>;
    }>('GET', '/api/v1/profiles');
    expect(profiles.find((p) => p.id === 'demo-vaccines')).toMatchObject({
      version: 1,
      temperature: { min: 2, max: 8 },
    });
    await shot('profiles');
  });

  it('rotates a hub secret on the devices page and shows the new one once', async () => {
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('heading', { name: 'Devices' }).waitFor({ timeout: UI_MS });
    await page.getByRole('button', { name: 'Rotate secret of Demo hub 3' }).click();
    const secret = page.getByTestId('hub-secret');
    await secret.waitFor({ timeout: UI_MS });
    expect((await secret.textContent())!.length).toBeGreaterThanOrEqual(16);
    await shot('devices');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await secret.waitFor({ state: 'detached', timeout: UI_MS });
  });

  it('is usable with the keyboard alone: Tab to the navigation, Enter follows, focus is visible', async () => {
    await openPage('/tags');
    await page.getByRole('heading', { name: 'Tags' }).waitFor({ timeout: UI_MS });
    // Browser-side expressions as strings: the server's tsconfig has no DOM types.
    const focusedText = () => page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''");
    for (const target of ['Alerts', 'Profiles', 'Fleet']) {
      await page.evaluate('document.activeElement?.blur()');
      let found = false;
      for (let i = 0; i < 20 && !found; i++) {
        await page.keyboard.press('Tab');
        found = (await focusedText()).startsWith(target);
      }
      expect(found).toBe(true);
      const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
      expect(outline).not.toBe('none');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: target }).waitFor({ timeout: UI_MS });
      // Focus follows the navigation to the new page's heading (moved by an effect, after the heading is drawn).
      await waitInPage(
        `document.activeElement?.tagName === 'H1' && document.activeElement.textContent.trim() === ${JSON.stringify(target)}`,
        UI_MS,
      );
    }
    // From the tags list, Tab reaches a tag link and Enter opens its chart.
    await openPage('/tags');
    await page.locator('tbody tr a').first().waitFor({ timeout: UI_MS });
    await page.getByLabel('Search name or MAC').focus();
    let onTag = false;
    for (let i = 0; i < 10 && !onTag; i++) {
      await page.keyboard.press('Tab');
      onTag = await page.evaluate<boolean>("!!document.activeElement?.closest('tbody tr a')");
    }
    expect(onTag).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('chart').waitFor({ timeout: UI_MS });
  });

  it('refreshes the access token silently and stays logged in past its lifetime', async () => {
    const session = "(JSON.parse(sessionStorage.getItem('coldchain.session') ?? '{}').accessToken ?? '')";
    const before = await page.evaluate<string>(session);
    expect(before).not.toBe('');
    await waitInPage(`${session} !== ${JSON.stringify(before)}`, TOKEN_TTL_S * 1000 + UI_MS);
    // Past the first token's lifetime: requests and the stream go on with the refreshed one.
    await waitInPage(
      `JSON.parse(sessionStorage.getItem('coldchain.session')).expiresAt > Date.now() + 1000`,
      UI_MS,
    );
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('button', { name: 'Register tag' }).waitFor({ timeout: UI_MS });
    const form = page.getByRole('form', { name: 'Register a tag' });
    await form.getByLabel('MAC').fill('02:00:00:AA:00:01');
    await form.getByLabel('Name').fill('Refreshed tag');
    await page.getByRole('button', { name: 'Register tag' }).click();
    await page.getByRole('cell', { name: 'Refreshed tag' }).waitFor({ timeout: UI_MS });
    // The server ends the stream when its token expires and the page reopens it about a second later:
    // wait for it to be live again rather than sampling it at an instant that may fall in that gap.
    await page
      .getByTestId('stream-state')
      .filter({ hasText: /^Live$/ })
      .waitFor({ timeout: UI_MS });
  }, 120_000);

  it('stays usable with 1,000 tags: one page of rows, search filters them', async () => {
    const macs = Array.from({ length: BULK_TAGS }, (_, i) =>
      [
        '02',
        '00',
        '00',
        '00',
        (i >> 8).toString(16).padStart(2, '0'),
        (i & 255).toString(16).padStart(2, '0'),
      ]
        .join(':')
        .toUpperCase(),
    );
    for (let i = 0; i < macs.length; i += 25)
      await Promise.all(
        macs.slice(i, i + 25).map((mac, k) =>
          apiCall('POST', '/api/v1/tags', {
            mac,
            name: `Bulk tag ${String(i + k).padStart(4, '0')}`,
            profileId: 'demo-vaccines',
          }),
        ),
      );
    const total = (await apiCall<{ tags: unknown[] }>('GET', '/api/v1/tags')).tags.length;
    await openPage('/tags');
    await page
      .getByTestId('tag-count')
      .filter({ hasText: `${total} of ${total} tags` })
      .waitFor({ timeout: UI_MS });
    expect(await page.locator('table[aria-label="Tags"] tbody tr').count()).toBe(50);
    expect(await page.getByTestId('pager-position').textContent()).toContain(`of ${Math.ceil(total / 50)}`);
    await page.getByLabel('Search name or MAC').fill('Bulk tag 0999');
    await page
      .getByTestId('tag-count')
      .filter({ hasText: `1 of ${total} tags` })
      .waitFor({ timeout: UI_MS });
    expect(await page.locator('table[aria-label="Tags"] tbody tr').count()).toBe(1);
    await page.getByLabel('Status').selectOption('silent');
    await page.getByLabel('Search name or MAC').fill('Bulk');
    await page
      .getByTestId('tag-count')
      .filter({ hasText: `${BULK_TAGS} of ${total} tags` })
      .waitFor({ timeout: UI_MS });
    await shot('tags-1000');
  });

  // Late in the file, so that the warm demo tag's alert has usually been raised; the waits do not rely on it.
  it(
    'lists the warm tag’s alert in the inbox and opens its acknowledge form',
    async () => {
      await openPage('/alerts');
      await page.getByRole('heading', { name: 'Alerts' }).waitFor({ timeout: UI_MS });
      const row = warmAlertRow();
      await row.waitFor({ timeout: ALERT_MS });
      expect(await row.count()).toBe(1);
      expect(await page.getByRole('link', { name: /^Alerts/ }).textContent()).toMatch(/\d/); // open-alert badge
      await row.getByRole('button', { name: 'Acknowledge…' }).click();
      await row.getByLabel('Comment (optional)').fill('Moved the load to cold room 2');
      await shot('alerts');
    },
    ALERT_MS + 60_000,
  );

  it(
    'acknowledges the alert with a comment from the inbox',
    async () => {
      await openPage('/alerts');
      const row = warmAlertRow();
      await row.waitFor({ timeout: ALERT_MS });
      await row.getByRole('button', { name: 'Acknowledge…' }).click();
      await row.getByLabel('Comment (optional)').fill('Moved the load to cold room 2');
      const [acked] = await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === 'POST' && /\/api\/v1\/alerts\/.+\/ack$/.test(r.url()),
          {
            timeout: UI_MS,
          },
        ),
        row.getByRole('button', { name: 'Confirm acknowledgement' }).click(),
      ]);
      expect(acked.ok()).toBe(true);
      await row.getByText(/Acknowledged by operator@demo\.coldchain\.local/).waitFor({ timeout: UI_MS });
      expect(await row.locator('.acks').textContent()).toContain('Moved the load to cold room 2');
      // The alert's tag: its chart shades the ongoing excursion above the band.
      await row.getByRole('link').click();
      await page.getByTestId('chart').waitFor({ timeout: UI_MS });
      expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/tags/${warmTag().mac}`);
      const excursions = page.locator('table[aria-label="Excursions"] tbody tr');
      await excursions.first().waitFor({ timeout: UI_MS });
      for (const text of await excursions.allTextContents())
        expect(text).toMatch(`above ${warmTag().max} °C`);
      await shot('tag-excursion');
    },
    ALERT_MS + 60_000,
  );

  it('forces a new user to change the temporary password, then logs out back to the login page', async () => {
    const created = await apiCall<{ temporaryPassword: string }>('POST', '/api/v1/users', {
      email: 'new.operator@demo.coldchain.local',
      role: 'operator',
    });
    // A context of its own: sessionStorage (the dashboard's session) is not shared with the owner's page.
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const np = await fresh.newPage();
    try {
      await loginThroughUi(np, 'new.operator@demo.coldchain.local', created.temporaryPassword);
      await np.getByRole('heading', { name: 'Choose a new password' }).waitFor({ timeout: UI_MS });
      const owners = page;
      page = np;
      await shot('change-password');
      page = owners;
      await np.getByLabel('Temporary password').fill(created.temporaryPassword);
      await np.getByLabel('New password', { exact: true }).fill('a-long-new-password-42');
      await np.getByLabel('New password again').fill('a-long-new-password-42');
      await np.getByRole('button', { name: 'Change password' }).click();
      await np.getByRole('heading', { name: 'Fleet' }).waitFor({ timeout: UI_MS });
      await np.getByRole('button', { name: 'Log out' }).click();
      await np.getByRole('heading', { name: /log in/ }).waitFor({ timeout: UI_MS });
      // The new password works from now on.
      const again = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'new.operator@demo.coldchain.local',
          password: 'a-long-new-password-42',
        }),
      });
      expect(((await again.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it('goes back to the login page when the session ends on the server (401)', async () => {
    await openPage('/tags');
    await page.getByRole('heading', { name: 'Tags' }).waitFor({ timeout: UI_MS });
    const accessToken = await page.evaluate<string>(
      "JSON.parse(sessionStorage.getItem('coldchain.session')).accessToken",
    );
    const out = await fetch(`${base}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(out.status).toBe(204);
    await page.reload();
    await page.getByRole('heading', { name: /log in/ }).waitFor({ timeout: UI_MS });
    expect(await page.evaluate<string | null>("sessionStorage.getItem('coldchain.session')")).toBeNull();
  });
});

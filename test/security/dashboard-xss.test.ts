import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { imeiFromBody } from '@coldchain/contract';
import { startFleet, type Fleet } from '@coldchain/firmware-sim';
import { loginToken } from '../support/api-users.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';

/**
 * Stored XSS through the names an operator types: a hub, a tag and a profile
 * are named with HTML payloads through the API, then every dashboard page that
 * shows them is opened in headless Chromium. No payload may run (each would set
 * `window.__xss` to its own number) and each name must read back literally as
 * text. Any Content-Security-Policy violation the page reports fails the test,
 * which proves the policy compatible with the pages visited (map tiles from
 * DASHBOARD_TILE_URL's origin included) and with the OpenAPI UI at /docs.
 * The pages are the built dashboard (dist/dashboard): rebuild after changing it.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UI_MS = 20_000;

const HUB_NAME = '<img src=x onerror="window.__xss=1">';
const TAG_NAME = '<img src=x onerror="window.__xss=2"> tag';
const PROFILE_NAME = '<svg onload="window.__xss=3"></svg><b>profile</b>';
const TAG_MAC = 'AA:BB:CC:00:99:01';

/** A 1×1 transparent PNG, every map tile of the stand-in tile server. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

let platform: RunningPlatform;
let tiles: Server;
let fleet: Fleet;
let browser: Browser;
let page: Page;
/** Console errors and `securitypolicyviolation` events, per page load. */
const violations: string[] = [];

/** The page's globals the payloads and the init script write (the test files have no DOM types). */
interface Probe {
  __xss?: number;
  __csp?: string[];
}
const xssFlag = (): Promise<number | undefined> =>
  page.evaluate(() => (globalThis as unknown as Probe).__xss);

/** Runs in every document before its own scripts (through the DevTools protocol, so not subject to the CSP). */
const RECORD_VIOLATIONS = `
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__csp.push(e.violatedDirective + ' blocked ' + e.blockedURI + ' (' + e.sourceFile + ':' + e.lineNumber + ')'),
  );
`;

async function api<T>(token: string, method: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${platform.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Resolves once the API knows a position of hub `imei`; bounded by UI_MS × 3. */
async function untilHubHasPosition(token: string, imei: string): Promise<void> {
  const until = Date.now() + UI_MS * 3;
  for (;;) {
    const res = await fetch(`${platform.httpUrl}/api/v1/positions/latest`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { positions } = (await res.json()) as { positions: Array<{ hub: string }> };
    if (positions.some((p) => p.hub === imei)) return;
    if (Date.now() > until) throw new Error(`hub ${imei} has no stored position after ${UI_MS * 3} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Violations recorded in the page by the init script, plus console errors that name the policy. */
async function cspViolations(): Promise<string[]> {
  const inPage = await page.evaluate(() => (globalThis as unknown as Probe).__csp ?? []);
  return [...inPage, ...violations];
}

beforeAll(async () => {
  // The platform serves dist/dashboard: `npm run build` makes it; a bare run after a clean checkout builds it here.
  if (!existsSync('dist/dashboard/index.html'))
    execFileSync('npx', ['vite', 'build', '-c', 'apps/dashboard/vite.config.ts'], { stdio: 'inherit' });
  tiles = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
  await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
  const tilePort = (tiles.address() as AddressInfo).port;
  platform = await startPlatform({
    METADATA_REFRESH_MS: '200',
    DASHBOARD_TILE_URL: `http://127.0.0.1:${tilePort}/tiles/{z}/{x}/{y}.png`,
  });
  const owner = platform.creds.users[0];
  const token = await loginToken(platform.httpUrl, owner.email, owner.password);
  const { id: profileId } = await api<{ id: string }>(token, 'POST', '/api/v1/profiles', {
    name: PROFILE_NAME,
    temperature: { min: 2, max: 8 },
  });
  const imei = imeiFromBody('35999900000001');
  const { secret } = await api<{ secret: string }>(token, 'POST', '/api/v1/hubs', { imei, name: HUB_NAME });
  await api(token, 'POST', '/api/v1/tags', { mac: TAG_MAC, name: TAG_NAME, profileId });
  // The gateway learns the new hub within METADATA_REFRESH_MS; the simulator reconnects until then.
  fleet = await startFleet({
    brokerUrl: platform.mqttUrl,
    hubs: [{ imei, secret, tags: [{ mac: TAG_MAC, setpointC: 5 }] }],
    publishIntervalMs: 1000,
    gps: true,
    failFast: false,
  });
  // The fleet page reads positions at load and then every 30 s: open it once the hub's first fix is stored,
  // so that its marker (and the tooltip under test) is drawn at load, whatever the hub's connect time.
  await untilHubHasPosition(token, imei);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript({ content: RECORD_VIOLATIONS });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(`${platform.httpUrl}/`);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Fleet' }).waitFor({ timeout: UI_MS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await platform?.close();
  await new Promise((resolve) => tiles?.close(resolve));
});

describe('dashboard: names with HTML in them', () => {
  it('shows the hub name on the map tooltip as text, runs nothing, and loads tiles under the CSP', async () => {
    const tooltip = page.locator('.leaflet-tooltip', { hasText: HUB_NAME });
    await tooltip.waitFor({ timeout: UI_MS });
    expect(await tooltip.textContent()).toContain(HUB_NAME);
    expect(await page.locator('.leaflet-tooltip img, .leaflet-tooltip svg').count()).toBe(0);
    await page.locator('img.leaflet-tile-loaded').first().waitFor({ timeout: UI_MS });
    await expect(page.getByRole('button', { name: HUB_NAME, exact: true }).count()).resolves.toBe(1);
    expect(await xssFlag()).toBeUndefined();
    expect(await cspViolations()).toEqual([]);
  });

  it('shows the tag and profile names as text on the tags, tag, profiles and devices pages', async () => {
    await page.getByRole('link', { name: 'Tags' }).click();
    await page.getByRole('link', { name: TAG_NAME, exact: true }).waitFor({ timeout: UI_MS });
    await page.getByRole('cell', { name: PROFILE_NAME, exact: true }).waitFor({ timeout: UI_MS });

    await page.getByRole('link', { name: TAG_NAME, exact: true }).click();
    await page.getByRole('heading', { name: TAG_NAME }).waitFor({ timeout: UI_MS });
    await page.locator('[data-testid="chart"] canvas').waitFor({ timeout: UI_MS });
    await page.locator('.u-legend').waitFor({ timeout: UI_MS });

    await page.getByRole('link', { name: 'Profiles' }).click();
    const profileButton = page.locator('nav[aria-label="Profiles"] button', { hasText: PROFILE_NAME });
    await profileButton.waitFor({ timeout: UI_MS });
    expect(await profileButton.textContent()).toBe(`${PROFILE_NAME} v1`);

    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByText(HUB_NAME, { exact: true }).first().waitFor({ timeout: UI_MS });
    await page.getByText(TAG_NAME, { exact: true }).first().waitFor({ timeout: UI_MS });

    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor({ timeout: UI_MS });

    expect(await xssFlag()).toBeUndefined();
    expect(await page.locator('#app img[src="x"], #app svg[onload]').count()).toBe(0);
    expect(await cspViolations()).toEqual([]);
  });

  it('renders the OpenAPI UI at /docs under its own policy without violations', async () => {
    await page.goto(`${platform.httpUrl}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: UI_MS });
    await page.locator('.opblock').first().waitFor({ timeout: UI_MS });
    expect(await cspViolations()).toEqual([]);
  });
});

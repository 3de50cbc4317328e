import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loginToken } from '../support/api-users.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';

/**
 * The report verification page in Debian's Chromium (playwright-core), as an
 * auditor uses it: pick a PDF report downloaded from the platform and read
 * the verdict; then the same report with one byte changed, and a file that
 * is not a PDF. The whole platform runs in this process (no fleet needed: a
 * report of a window without readings is still a signed report).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Bounded wait for the page's answer. */
const UI_MS = 15_000;

let platform: RunningPlatform;
let browser: Browser;
let page: Page;
const files = mkdtempSync(join(tmpdir(), 'cc-verify-'));

beforeAll(async () => {
  // Built fresh: the page is new, and a dashboard built before it would not have it.
  execFileSync('npx', ['vite', 'build', '-c', 'apps/dashboard/vite.config.ts', '--logLevel', 'error'], {
    stdio: 'inherit',
  });
  platform = await startPlatform();
  const { email, password } = platform.creds.users[0];
  const token = await loginToken(platform.httpUrl, email, password);
  const to = Date.now();
  const res = await fetch(
    `${platform.httpUrl}/api/v1/tags/${platform.creds.tags[0].mac}/report.pdf?from=${to - 3_600_000}&to=${to}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(res.status).toBe(200);
  const pdf = Buffer.from(await res.arrayBuffer());
  writeFileSync(join(files, 'report.pdf'), pdf);
  const changed = Buffer.from(pdf);
  changed[pdf.indexOf('/Title') + 1] = 'X'.charCodeAt(0);
  writeFileSync(join(files, 'report-changed.pdf'), changed);
  writeFileSync(join(files, 'notes.pdf'), 'meeting notes, not a PDF at all');

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${platform.httpUrl}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Verify report' }).click();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

async function verify(file: string): Promise<void> {
  await page.getByLabel('PDF report').setInputFiles(join(files, file));
  await page.getByRole('button', { name: 'Verify' }).click();
}

describe('report verification page', () => {
  it('says an untouched report is genuine and shows its SHA-256', async () => {
    await page.getByRole('heading', { name: 'Verify a report' }).waitFor({ timeout: UI_MS });
    await verify('report.pdf');
    const verdict = page.getByTestId('report-verdict');
    await verdict.waitFor({ timeout: UI_MS });
    expect(await verdict.textContent()).toMatch(
      /Genuine and unchanged\.SHA-256 of report\.pdf: [0-9a-f]{64}/,
    );
  });

  it('says a report with one byte changed is not genuine, and why', async () => {
    await verify('report-changed.pdf');
    const verdict = page.getByTestId('report-verdict');
    await page.getByText(/Not genuine: content changed after signing/).waitFor({ timeout: UI_MS });
    expect(await verdict.getAttribute('class')).toBe('error');
  });

  it('explains that a file which is not a PDF cannot be checked, and the page still works', async () => {
    await verify('notes.pdf');
    await page
      .getByRole('alert')
      .locator('p', { hasText: /^not a PDF/ })
      .waitFor({ timeout: UI_MS });
    await verify('report.pdf');
    await page.getByText('Genuine and unchanged.').waitFor({ timeout: UI_MS });
  });
});

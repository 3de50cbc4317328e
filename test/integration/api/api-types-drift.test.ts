import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs scripts/generate-api-types.mjs as `npm run generate:api-types` / `check:api-types` do. */
async function generator(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', './scripts/lib/ts-register.mjs', 'scripts/generate-api-types.mjs', ...args],
      { cwd: process.cwd(), encoding: 'utf8' },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * The drift check of the dashboard's generated API types (`npm run
 * check:api-types`, part of `npm run check`): it regenerates the types from
 * the API's OpenAPI document and must fail, naming the file and showing the
 * difference, when the checked-in file is stale, and pass when it is fresh.
 * Runs on a copy in a temp dir, so the checked-in file is never touched.
 */
describe('check:api-types', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-api-types-test-'));
    file = join(dir, 'api-types.gen.ts');
    const generated = await generator('--file', file);
    expect(generated.code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes on a freshly generated file and fails, naming it with a diff, once it is stale', async () => {
    const fresh = readFileSync(file, 'utf8');
    expect(fresh).toContain('Generated from the operator API');
    expect(fresh).toContain("'/api/v1/readings/latest'");

    const stale = join(dir, 'stale.gen.ts');
    // A hand edit: the hub secret typed as a number, which the API does not answer.
    const edited = fresh.replace(/secret: string;/, 'secret: number;');
    expect(edited).not.toBe(fresh);
    writeFileSync(stale, edited);

    const [freshCheck, staleCheck] = await Promise.all([
      generator('--check', '--file', file),
      generator('--check', '--file', stale),
    ]);
    expect(freshCheck).toMatchObject({ code: 0, stderr: '' });
    expect(staleCheck.code).toBe(1);
    expect(staleCheck.stderr).toContain(`${stale} differs from the API's OpenAPI document`);
    expect(staleCheck.stderr).toContain('npm run generate:api-types');
    expect(staleCheck.stderr).toMatch(/^-\s+secret: number;$/m);
    expect(staleCheck.stderr).toMatch(/^\+\s+secret: string;$/m);
  });

  it('fails when the file is missing', async () => {
    const missing = await generator('--check', '--file', join(dir, 'absent.gen.ts'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('absent.gen.ts is missing');
  });
});

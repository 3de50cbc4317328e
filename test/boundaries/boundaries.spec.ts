import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The boundary check of `npm run check` (.dependency-cruiser.cjs) fails on
 * each kind of violation, passes on a tree that keeps the rules, and passes
 * on the repository itself.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
/** Seconds: a cold depcruise over the whole repository takes about 15 s on two shared cores. */
const CRUISE_TIMEOUT_MS = 120_000;

function cruise(cwd: string, paths: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [DEPCRUISE, ...paths, '--config', CONFIG], {
    cwd,
    encoding: 'utf8',
    timeout: CRUISE_TIMEOUT_MS,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** A throwaway repository: `files` (path → source), the alias of every lib, the real node_modules. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-boundaries-'));
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        baseUrl: '.',
        paths: { '@coldchain/*': ['libs/*/src/index.ts'] },
      },
    }),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** `rule: from → to` per violation; a package by its path from node_modules (the fixture links the real one). */
const violations = (output: string): string[] =>
  [...output.matchAll(/^\s*error ([a-z-]+): (\S+) → (\S+)$/gm)].map(
    (m) => `${m[1]}: ${m[2]} → ${m[3].replace(/^.*\/?node_modules\//, 'node_modules/')}`,
  );

describe('boundary check (npm run check:boundaries)', () => {
  it('fails on each injected violation, naming the rule and the import', () => {
    const dir = fixture({
      'apps/a/src/main.ts': "import { b } from '../../b/src/b.js';\nexport const a = b;\n",
      'apps/b/src/b.ts': 'export const b = 1;\n',
      'libs/domain/src/index.ts':
        "import { Injectable } from '@nestjs/common';\nimport { bus } from '@coldchain/bus';\nexport const domain = [Injectable, bus];\n",
      'libs/bus/src/index.ts': "export { inner as bus } from './inner.js';\n",
      'libs/bus/src/inner.ts': 'export const inner = 1;\n',
      'libs/alarm-engine/src/index.ts':
        "import { config } from '@coldchain/config';\nexport const engine = config;\n",
      'libs/config/src/index.ts': "import { bus } from '@coldchain/bus';\nexport const config = bus;\n",
      'libs/observability/src/index.ts':
        "import { edge } from '@coldchain/edge';\nexport const obs = edge;\n",
      'libs/metadata-store/src/index.ts':
        "import { edge } from '@coldchain/edge';\nexport const store = edge;\n",
      'libs/edge/src/index.ts':
        "import { inner } from '../../bus/src/inner.js';\nimport { b } from '../../../apps/b/src/b.js';\nexport const edge = [inner, b];\n",
      'libs/fleet/src/index.ts':
        "import { fixture } from '../../../test/fixture.js';\nexport const fleet = fixture;\n",
      'test/fixture.ts': 'export const fixture = 1;\n',
    });
    const { status, output } = cruise(dir, ['apps', 'libs', 'test']);

    expect(status).not.toBe(0);
    expect(violations(output).sort()).toEqual(
      [
        'no-app-to-app: apps/a/src/main.ts → apps/b/src/b.ts',
        'domain-no-framework: libs/domain/src/index.ts → node_modules/@nestjs/common/index.js',
        'domain-no-persistence-or-bus: libs/domain/src/index.ts → libs/bus/src/index.ts',
        'layer-kernel: libs/domain/src/index.ts → libs/bus/src/index.ts',
        'layer-domain-engine: libs/alarm-engine/src/index.ts → libs/config/src/index.ts',
        'config-only-kernel: libs/config/src/index.ts → libs/bus/src/index.ts',
        'layer-config-observability: libs/config/src/index.ts → libs/bus/src/index.ts',
        'layer-config-observability: libs/observability/src/index.ts → libs/edge/src/index.ts',
        'layer-adapters: libs/metadata-store/src/index.ts → libs/edge/src/index.ts',
        'no-deep-lib-import: libs/edge/src/index.ts → libs/bus/src/inner.ts',
        'no-relative-path-leaving-lib: libs/edge/src/index.ts → libs/bus/src/inner.ts',
        'no-lib-to-app: libs/edge/src/index.ts → apps/b/src/b.ts',
        'no-relative-path-leaving-lib: libs/edge/src/index.ts → apps/b/src/b.ts',
        'no-test-code-in-libs: libs/fleet/src/index.ts → test/fixture.ts',
      ].sort(),
    );
  });

  it('passes a tree that keeps the rules: apps compose libs through their doors, libs import downwards', () => {
    const dir = fixture({
      'apps/a/src/main.ts': "import { edge } from '@coldchain/edge';\nexport const a = edge;\n",
      'libs/domain/src/index.ts': "export { clock } from './clock.js';\n",
      'libs/domain/src/clock.ts': 'export const clock = 0;\n',
      'libs/config/src/index.ts':
        "import { clock } from '@coldchain/domain';\nexport const config = clock;\n",
      'libs/bus/src/index.ts':
        "import { Injectable } from '@nestjs/common';\nimport { config } from '@coldchain/config';\nexport const bus = [Injectable, config];\n",
      'libs/edge/src/index.ts': "import { bus } from '@coldchain/bus';\nexport const edge = bus;\n",
      'libs/edge/src/edge.spec.ts':
        "import { fixture } from '../../../test/fixture.js';\nexport const s = fixture;\n",
      'test/fixture.ts': "import { edge } from '@coldchain/edge';\nexport const fixture = edge;\n",
    });
    const { status, output } = cruise(dir, ['apps', 'libs', 'test']);
    expect(violations(output)).toEqual([]);
    expect(status).toBe(0);
  });

  it('passes on this repository', () => {
    const { status, output } = cruise(ROOT, ['apps', 'libs', 'test', 'bench', 'gateway-firmware-sim']);
    expect(violations(output)).toEqual([]);
    expect(status).toBe(0);
  });
});

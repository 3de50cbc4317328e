/**
 * Node module hooks that run the repository's TypeScript sources in place,
 * the way the jest tiers do: `@coldchain/<lib>` resolves through
 * tsconfig.json's `paths`, a relative `./x.js` import resolves to `./x.ts`
 * beside it, and `.ts` files are compiled by swc with the jest options (legacy
 * decorators with their metadata, which Nest's injection reads). Registered by
 * ts-register.mjs; lets a script load a Nest module without a build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import swc from '@swc/core';
import ts from 'typescript';

const root = resolvePath(dirname(fileURLToPath(import.meta.url)), '../..');

/** `@coldchain/<lib>` → absolute path of its index.ts, from tsconfig.json (which may carry comments). */
const aliases = (() => {
  const { config, error } = ts.readConfigFile(resolvePath(root, 'tsconfig.json'), ts.sys.readFile);
  if (error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const paths = config.compilerOptions?.paths ?? {};
  return new Map(Object.entries(paths).map(([alias, [target]]) => [alias, resolvePath(root, target)]));
})();

const SWC_OPTIONS = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

export async function resolve(specifier, context, next) {
  const alias = aliases.get(specifier);
  if (alias) return { url: pathToFileURL(alias).href, shortCircuit: true };
  if (context.parentURL?.endsWith('.ts') && /^\.{1,2}\//.test(specifier) && specifier.endsWith('.js')) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), { ...SWC_OPTIONS, filename });
  return { format: 'module', source: code, shortCircuit: true };
}

// Module boundaries, checked by `npm run check:boundaries` (part of `npm run check`).
// Layers, lowest first; a lib imports only from its own layer or below:
//   1 kernel (framework-free, no I/O): contract, domain, errors
//   2 domain engine (framework-free, no I/O): alarm-engine
//   3 config (imports only the kernel), observability
//   4 engine adapters: bus, telemetry-store, metadata-store
//   5 application libs: edge, ingestion, notifications, identity, fleet, reporting, live-feed,
//     http-api, runtime, backup
//   apps: composition roots only; no app imports another app.
// A lib is entered only through its public door, `@coldchain/<lib>` (libs/<lib>/src/index.ts).
// test/boundaries/boundaries.spec.ts proves that each rule fails on an injected violation.

const KERNEL = 'contract|domain|errors';
const DOMAIN_ENGINE = 'alarm-engine';
const LAYER_3 = 'config|observability';
const ADAPTERS = 'bus|telemetry-store|metadata-store';
const APPLICATION = 'edge|ingestion|notifications|identity|fleet|reporting|live-feed|http-api|runtime|backup';
const FRAMEWORKS =
  '@nestjs|fastify|@fastify|kafkajs|pg|better-sqlite3|mqtt|aedes|@influxdata|nodemailer|twilio';

/** A module path inside one of the named libs. */
const libs = (names) => `^libs/(${names})/`;
/** A framework package, resolved (node_modules/...) or not (a bare name). */
const framework = `(^|/node_modules/)(${FRAMEWORKS})(/|$)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-app-to-app',
      comment: 'An app is a composition root: what two apps share is a lib.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-lib-to-app',
      comment: 'Libs never import apps.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'domain-no-framework',
      comment: 'The kernel and the alarm engine are plain TypeScript: no framework, no engine client.',
      severity: 'error',
      from: { path: libs(`${KERNEL}|${DOMAIN_ENGINE}`) },
      to: { path: framework },
    },
    {
      name: 'domain-no-persistence-or-bus',
      comment:
        'The kernel and the alarm engine never import persistence or the bus; adapters depend on them.',
      severity: 'error',
      from: { path: libs(`${KERNEL}|${DOMAIN_ENGINE}`) },
      to: { path: libs(ADAPTERS) },
    },
    {
      name: 'config-only-kernel',
      comment: 'libs/config validates the environment: it imports only the kernel.',
      severity: 'error',
      from: { path: '^libs/config/' },
      to: { path: '^libs/', pathNot: libs(`config|${KERNEL}`) },
    },
    {
      name: 'layer-kernel',
      comment: 'The kernel imports only the kernel.',
      severity: 'error',
      from: { path: libs(KERNEL) },
      to: { path: '^libs/', pathNot: libs(KERNEL) },
    },
    {
      name: 'layer-domain-engine',
      comment: 'The alarm engine imports only the kernel.',
      severity: 'error',
      from: { path: libs(DOMAIN_ENGINE) },
      to: { path: libs(`${LAYER_3}|${ADAPTERS}|${APPLICATION}`) },
    },
    {
      name: 'layer-config-observability',
      comment: 'config and observability import nothing from the adapters or the application libs.',
      severity: 'error',
      from: { path: libs(LAYER_3) },
      to: { path: libs(`${ADAPTERS}|${APPLICATION}`) },
    },
    {
      name: 'layer-adapters',
      comment: 'Engine adapters import nothing from the application libs.',
      severity: 'error',
      from: { path: libs(ADAPTERS) },
      to: { path: libs(APPLICATION) },
    },
    {
      name: 'no-deep-lib-import',
      comment: 'Another lib is entered only through its public door, @coldchain/<lib> (its src/index.ts).',
      severity: 'error',
      from: { path: '^(libs/([^/]+)/|apps/|test/|bench/|gateway-firmware-sim/)' },
      to: { path: '^libs/([^/]+)/', pathNot: ['^libs/$2/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'no-relative-path-leaving-lib',
      comment: 'A relative path stays inside its lib; other libs are imported as @coldchain/<lib>.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      // An alias import resolves to a local file too; only a path without the alias is relative.
      to: { path: '^(libs|apps)/', pathNot: '^libs/$1/', dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'no-test-code-in-libs',
      comment: "A lib's own code never imports test code; its specs may use test/fixtures.",
      severity: 'error',
      from: { path: '^libs/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage|var)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};

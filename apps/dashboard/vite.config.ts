import { defineConfig } from 'vite';

/**
 * The operator dashboard, built by `npm run build:dashboard` (run from the
 * repository root) into dist/dashboard, which the API serves at `/`
 * (DashboardModule, libs/http-api/src/dashboard). Everything is bundled: no CDN at run time.
 */
export default defineConfig({
  root: 'apps/dashboard',
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../../dist/dashboard',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    // Leaflet and uPlot together are ~200 kB minified; the warning threshold is for surprises beyond that.
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});

import { describe, expect, it } from '@jest/globals';
import { isClientRoute, renderIndex } from './dashboard.module.js';

describe('dashboard serving', () => {
  it('answers client routes with the app, never the API, docs, ops or ack paths, nor file names', () => {
    for (const path of ['/', '/tags', '/tags/AA:BB:CC:DD:EE:FF', '/alerts?view=all', '/apiary', '/docsearch'])
      expect([path, isClientRoute(path)]).toEqual([path, true]);
    for (const path of [
      '/api',
      '/api/v1/nothing',
      '/docs',
      '/docs/json',
      '/health',
      '/metrics',
      '/ack?token=x',
      '/assets/index.js',
      '/favicon.ico',
    ])
      expect([path, isClientRoute(path)]).toEqual([path, false]);
  });

  it('puts the tile URL in a meta tag, escaped', () => {
    const html = '<html><head><title>x</title></head><body></body></html>';
    expect(renderIndex(html, { DASHBOARD_TILE_URL: undefined })).toContain(
      '<meta name="coldchain-tile-url" content="">',
    );
    expect(
      renderIndex(html, { DASHBOARD_TILE_URL: 'https://t.example/{z}/{x}/{y}.png?a=1&b="2"' }),
    ).toContain('content="https://t.example/{z}/{x}/{y}.png?a=1&amp;b=&quot;2&quot;"');
  });
});

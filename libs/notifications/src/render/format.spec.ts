import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { escapeHtml, xmlText } from './format.js';

describe('escapeHtml', () => {
  it('turns every markup character into its entity', () => {
    expect(escapeHtml(`<img src=x onerror="alert('x')"> & co`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; co',
    );
  });

  it('leaves no markup character in any text, and decodes back to the text', () => {
    const decode = (s: string) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const escaped = escapeHtml(text);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
        expect(decode(escaped)).toBe(text);
      }),
    );
  });
});

describe('xmlText', () => {
  it('drops the characters XML cannot carry and keeps tab, line breaks, accents, emoji and markup', () => {
    expect(xmlText('Fridge\u0000 A1\u0007\u001b\u000b\u000c\uFFFE\uFFFF')).toBe('Fridge A1');
    expect(xmlText('a\tb\nc\rd é ❄️ 😀 <b>&</b>')).toBe('a\tb\nc\rd é ❄️ 😀 <b>&</b>');
    expect(xmlText('lone \uD800 high, lone \uDC00 low')).toBe('lone  high, lone  low');
  });

  it('leaves only characters of the XML 1.0 Char production', () => {
    const xmlChar = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(xmlText(text)).toMatch(xmlChar);
      }),
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import { textElement } from './safe-dom';

/** The part of an element the helper may touch; markup setters throw (the test tier has no DOM). */
class FakeElement {
  className = '';
  textContent: string | null = null;
  constructor(readonly tagName: string) {}
  set innerHTML(_html: string) {
    throw new Error('innerHTML must not be used for text');
  }
  set outerHTML(_html: string) {
    throw new Error('outerHTML must not be used for text');
  }
  insertAdjacentHTML(): never {
    throw new Error('insertAdjacentHTML must not be used for text');
  }
}

const fakeDocument = {
  createElement: (tag: string) => new FakeElement(tag) as unknown as HTMLElement,
} as Pick<Document, 'createElement'>;

describe('textElement', () => {
  it('puts markup-looking text in as text, unchanged and unescaped', () => {
    const name = '<img src=x onerror="window.__xss=1"> & "quotes" \'too\'';
    const el = textElement(name, {}, fakeDocument) as unknown as FakeElement;
    expect(el.textContent).toBe(name);
    expect(el.tagName).toBe('span');
  });

  it('takes the element and its class', () => {
    const el = textElement(
      'Hub 1 · 2 min ago',
      { tag: 'strong', className: 'hub' },
      fakeDocument,
    ) as unknown as FakeElement;
    expect([el.tagName, el.className, el.textContent]).toEqual(['strong', 'hub', 'Hub 1 · 2 min ago']);
  });

  it('keeps empty text empty', () => {
    expect((textElement('', {}, fakeDocument) as unknown as FakeElement).textContent).toBe('');
  });
});

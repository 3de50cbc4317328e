/**
 * Text for the libraries whose content options are HTML strings: Leaflet's
 * `bindTooltip`, `bindPopup`, `divIcon({ html })` and control labels set
 * `innerHTML`, so a hub named `<img src=x onerror=…>` would run in every
 * operator's browser. Anything from the API (names, comments, alert texts)
 * handed to such a library goes through here: an element whose content is the
 * text itself, a text node, never parsed as markup. Preact's JSX already
 * writes text nodes, and uPlot sets its labels with `textContent`.
 */
export function textElement(
  text: string,
  options: { tag?: keyof HTMLElementTagNameMap; className?: string } = {},
  doc: Pick<Document, 'createElement'> = document,
): HTMLElement {
  const el = doc.createElement(options.tag ?? 'span');
  if (options.className) el.className = options.className;
  el.textContent = text;
  return el;
}

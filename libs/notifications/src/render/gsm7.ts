import { DEFAULTS } from '../notifications.defaults.js';
import type { SmsEncoding } from './rendered-alert.js';

// 3GPP TS 23.038 §6.2.1: GSM 7-bit default alphabet (one septet each) …
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// … and §6.2.1.1 extension table (escape + char: two septets each).
const GSM7_EXTENDED = '^{}\\[~]|€\f';

const BASIC = new Set(GSM7_BASIC);
const EXTENDED = new Set(GSM7_EXTENDED);

/** Typographic characters that have a plain GSM-7 look-alike. */
const LOOKALIKES: Record<string, string> = {
  '\u2013': '-', // en dash
  '\u2014': '-', // em dash
  '\u2212': '-', // minus sign
  '`': "'", // the one printable ASCII character GSM-7 lacks
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2026': '...',
  '\u00A0': ' ', // no-break space
  '\u202F': ' ', // narrow no-break space (Intl output)
  '\u2009': ' ', // thin space
  '\u00B0': '', // degree sign: "8 °C" → "8 C"; callers write "8C"
  '\u00B5': 'u',
  '\t': ' ',
  // Latin letters with a stroke do not decompose under NFD.
  '\u0141': 'L', // Ł
  '\u0142': 'l', // ł
  '\u0110': 'D', // Đ
  '\u0111': 'd', // đ
  '\u0131': 'i', // dotless ı
  '\u0152': 'OE',
  '\u0153': 'oe',
};

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENDED.has(ch)) return false;
  return true;
}

/** Septets a GSM-7 text takes (extension characters count twice). Only meaningful when `isGsm7(text)`. */
export function gsm7Septets(text: string): number {
  let n = 0;
  for (const ch of text) n += EXTENDED.has(ch) ? 2 : 1;
  return n;
}

/**
 * Brings text into the GSM-7 alphabet where a faithful substitute exists:
 * typographic look-alikes and stroked letters (ł → l), then accents dropped
 * (é stays: it is GSM-7). Characters with no substitute (Cyrillic, CJK, emoji) are
 * kept, so the message falls back to UCS-2 rather than losing meaning.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (BASIC.has(ch) || EXTENDED.has(ch)) out += ch;
    else if (ch in LOOKALIKES) out += LOOKALIKES[ch];
    else {
      const stripped = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += [...stripped].every((c) => BASIC.has(c) || EXTENDED.has(c)) ? stripped : ch;
    }
  }
  return out;
}

export interface SmsSize {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/**
 * How a carrier will encode and split a body. Multi-part messages lose room to
 * the concatenation header (TS 23.040 §9.2.3.24.1): 153 septets or 67 units
 * per part.
 */
export function smsSize(text: string): SmsSize {
  if (isGsm7(text)) {
    const units = gsm7Septets(text);
    const single = DEFAULTS.sms.gsm7SegmentSeptets;
    return { encoding: 'GSM-7', units, segments: units <= single ? 1 : Math.ceil(units / (single - 7)) };
  }
  const units = text.length;
  const single = DEFAULTS.sms.ucs2SegmentUnits;
  return { encoding: 'UCS-2', units, segments: units <= single ? 1 : Math.ceil(units / (single - 3)) };
}

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { alertEvent, renderContext } from '../../../../test/fixtures/alert-event.fixture.js';
import { renderEmail, renderSms, renderVoice } from './alert.renderer.js';
import { isGsm7, smsSize } from './gsm7.js';

describe('alert renderer', () => {
  describe('SMS', () => {
    it('fits a critical excursion with position and ack code in one GSM-7 segment', () => {
      const sms = renderSms(alertEvent(), renderContext());
      expect(sms.text).toBe(
        'CRIT Fridge A1 (Vaccines 2-8 C): 9.4C > 8C since 04 Mar 14:05 CET. Pos 52.5200,13.4050. Reply ACK 4821',
      );
      expect(sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    });

    it.each([
      [
        'a long tag name',
        {
          tagName:
            'Cold room 3 / shelf 12 / left-hand pallet of the outbound vaccine lot for the Northern region',
        },
      ],
      [
        'a long profile name',
        { profileName: 'Pfizer-BioNTech Comirnaty ultra-cold storage between minus ninety and minus sixty' },
      ],
      ['both long', { tagName: 'T'.repeat(120), profileName: 'P'.repeat(120) }],
    ])('still fits one GSM-7 segment with %s and keeps the value and the ack code', (_case, ctx) => {
      const sms = renderSms(alertEvent(), renderContext(ctx));
      expect(sms.segments).toBe(1);
      expect(sms.encoding).toBe('GSM-7');
      expect(smsSize(sms.text).units).toBeLessThanOrEqual(160);
      expect(sms.text).toContain('9.4C > 8C');
      expect(sms.text).toMatch(/Reply ACK 4821$/);
    });

    it('always fits one GSM-7 segment and keeps value and ack code, whatever Latin names and time zone', () => {
      const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Adelaide', 'UTC'];
      fc.assert(
        fc.property(
          fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
          fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
          fc.constantFrom(...zones),
          fc.double({ min: -90, max: 90, noNaN: true }),
          (tagName, profileName, timeZone, value) => {
            const sms = renderSms(
              alertEvent({ value }),
              renderContext({ tagName, profileName, contact: { name: 'x', timeZone } }),
            );
            expect(sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
            expect(sms.text).toMatch(/Reply ACK 4821$/);
          },
        ),
        // Fixed seed: the same 500 cases every run (house style: deterministic tests).
        { seed: 20250304, numRuns: 500 },
      );
    });

    it('drops accents GSM-7 lacks but keeps those it has', () => {
      const sms = renderSms(alertEvent(), renderContext({ tagName: 'Kühlraum Łódź é' }));
      expect(isGsm7(sms.text)).toBe(true);
      expect(sms.text).toContain('Kühlraum Lodz é');
    });

    it('falls back to UCS-2 for a Cyrillic tag name, still in one 70-unit segment', () => {
      const sms = renderSms(
        alertEvent(),
        renderContext({ tagName: 'Холодильник 1', profileName: 'Вакцины' }),
      );
      expect(sms.encoding).toBe('UCS-2');
      expect(sms.segments).toBe(1);
      expect(sms.text).toContain('Холодильник 1');
      expect(sms.text).toContain('ACK 4821');
    });

    it('uses "<" for a low excursion and omits the ack request once cleared', () => {
      const low = renderSms(alertEvent({ rule: 'temperature.low', value: 1.2, bound: 2 }), renderContext());
      expect(low.text).toContain('1.2C < 2C');
      const cleared = renderSms(
        alertEvent({ transition: 'cleared', endedAt: Date.UTC(2025, 2, 4, 14, 0) }),
        renderContext(),
      );
      expect(cleared.text).toMatch(/^CRIT CLEARED /);
      expect(cleared.text).not.toContain('ACK');
    });
  });

  describe('email', () => {
    it('shows the start in the contact time zone, not the server one', () => {
      const ny = renderEmail(
        alertEvent(),
        renderContext({ contact: { name: 'Sam', timeZone: 'America/New_York' } }),
      );
      expect(ny.text).toContain('Since (measured): 2025-03-04 08:05 GMT-5');
      expect(ny.text).toContain('Times are shown in America/New_York.');
    });

    it('escapes names in HTML', () => {
      const mail = renderEmail(alertEvent(), renderContext({ tagName: '<script>x</script>' }));
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain('&lt;script&gt;');
    });

    it('shows every name the operators typed as text in the HTML, in text nodes and attributes alike', () => {
      const payload = (who: string) => `<img src=x onerror="alert('${who}')"><a href="javascript:x">`;
      const mail = renderEmail(
        alertEvent(),
        renderContext({
          tagName: payload('tag'),
          profileName: payload('profile'),
          tenantName: payload('tenant'),
          hubName: payload('hub'),
          contact: { name: payload('contact'), timeZone: 'Europe/Berlin' },
          ackUrl: 'https://coldchain.example/ack?t=a"b<c>&d',
        }),
      );
      // The only elements are the template's own.
      const tags = [...mail.html.matchAll(/<([a-z0-9!]+)/gi)].map((m) => m[1].toLowerCase());
      expect([...new Set(tags)].sort()).toEqual([
        '!doctype',
        'a',
        'body',
        'h2',
        'html',
        'p',
        'table',
        'td',
        'th',
        'tr',
      ]);
      expect(mail.html).not.toMatch(/<img|onerror="|href="javascript/i);
      for (const who of ['tag', 'profile', 'tenant', 'hub'])
        expect(mail.html).toContain(
          `&lt;img src=x onerror=&quot;alert(&#39;${who}&#39;)&quot;&gt;&lt;a href=&quot;javascript:x&quot;&gt;`,
        );
      expect(mail.html).toContain('href="https://coldchain.example/ack?t=a&quot;b&lt;c&gt;&amp;d"');
      // The plain-text part and the subject carry the names as they are.
      expect(mail.text).toContain(`Tag: ${payload('tag')}`);
      expect(mail.subject).toContain(payload('tag'));
    });

    it('says "unknown" when no position is known and flags late readings', () => {
      const mail = renderEmail(alertEvent({ position: undefined, late: true }), renderContext());
      expect(mail.text).toContain('Last position: unknown');
      expect(mail.text).toContain('arrived late');
    });

    it('labels a warning reminder in the subject', () => {
      const mail = renderEmail(alertEvent({ severity: 'warning', transition: 'reminder' }), renderContext());
      expect(mail.subject).toMatch(/^\[WARNING reminder\] Fridge A1: /);
    });
  });

  describe('voice', () => {
    it('speaks units in words and asks for the digit 1', () => {
      const voice = renderVoice(alertEvent(), renderContext());
      expect(voice.script).toContain('9.4 degrees Celsius, above the limit of 8 degrees Celsius');
      expect(voice.script).toContain('product Vaccines 2 to 8 °C');
      expect(voice.script).toMatch(/Press 1 to acknowledge this alert\.$/);
      expect(voice.ackDigit).toBe('1');
    });
  });
});

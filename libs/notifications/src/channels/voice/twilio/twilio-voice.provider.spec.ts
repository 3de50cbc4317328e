import { describe, expect, it } from '@jest/globals';
import { alertEvent, renderContext } from '../../../../../../test/fixtures/alert-event.fixture.js';
import { renderVoice } from '../../../render/alert.renderer.js';
import { xmlText } from '../../../render/format.js';
import { twiml } from '../../twilio/twilio-webhooks.js';
import { alertCallTwiml } from './twilio-voice.provider.js';

/** Operators name tags and profiles freely: markup, and control characters pasted from elsewhere. */
const HOSTILE = {
  tagName: 'Fridge </Say><Redirect>https://evil.example/x</Redirect><Say> A1\u0007',
  profileName: 'Vaccines <Play>https://evil.example/a.mp3</Play>\u0000',
  tenantName: 'Acme & "Sons"\u001b',
};

/** Element names of the TwiML document, in order. */
const elements = (xml: string): string[] => [...xml.matchAll(/<([A-Za-z]+)[\s>/]/g)].map((m) => m[1]);

describe('alert call TwiML', () => {
  it('speaks hostile names as text: no element of theirs, markup escaped, control characters dropped', () => {
    const voice = renderVoice(alertEvent(), renderContext(HOSTILE));
    const xml = alertCallTwiml(voice.script, voice.ackDigit, 'https://coldchain.example/twilio/gather?k=1');
    expect(elements(xml)).toEqual(['Response', 'Gather', 'Say', 'Say']);
    expect(xml).toContain(
      'Tag Fridge &lt;/Say&gt;&lt;Redirect&gt;https://evil.example/x&lt;/Redirect&gt;&lt;Say&gt; A1, product Vaccines',
    );
    expect(xml).toContain('for Acme &amp; "Sons".');
    expect(xml).toBe(xmlText(xml));
  });

  it('builds the speak-only call too', () => {
    const voice = renderVoice(alertEvent(), renderContext(HOSTILE));
    const xml = alertCallTwiml(voice.script, voice.ackDigit, undefined);
    expect(elements(xml)).toEqual(['Response', 'Say']);
    expect(xml).toContain('&lt;Play&gt;');
  });
});

describe('webhook TwiML answers', () => {
  it('answers with any text, dropping what XML cannot carry', () => {
    expect(twiml.say('Goodbye <Hangup/>\u0001')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Goodbye &lt;Hangup/&gt;</Say><Hangup/></Response>',
    );
    expect(twiml.smsReply('No alert has code 12\u000334 <b>')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>No alert has code 1234 &lt;b&gt;</Message></Response>',
    );
  });
});

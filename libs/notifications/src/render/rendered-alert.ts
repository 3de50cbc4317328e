/** Encoding an SMS body needs: GSM-7 (160 septets per segment) or UCS-2 (70 units per segment). */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface RenderedSms {
  text: string;
  encoding: SmsEncoding;
  /** Segments the carrier will bill; 1 whenever the content allows it. */
  segments: number;
}

export interface RenderedVoice {
  /** Plain sentences for text-to-speech (`<Say>`), no markup. */
  script: string;
  /** What the callee is asked to press to acknowledge. */
  ackDigit: string;
}

/** One alert rendered for every medium, for one contact (time zone, ack link and code are per contact). */
export interface RenderedAlert {
  email: RenderedEmail;
  sms: RenderedSms;
  voice: RenderedVoice;
  /** The SMS acknowledgement code ("4821"), when one was issued. */
  ackCode?: string;
  /** The signed acknowledgement link, when one was issued (webhook bodies carry it). */
  ackUrl?: string;
}

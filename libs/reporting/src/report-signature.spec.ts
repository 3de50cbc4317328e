import { describe, expect, it } from '@jest/globals';
import { InvalidInputError } from '@coldchain/errors';
import { excursionReportPdf } from './excursion-report.pdf.js';
import { REPORT_SIGNATURE_PLACEHOLDER, ReportSigner } from './report-signature.js';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const signer = new ReportSigner('k'.repeat(32));

const report = () =>
  excursionReportPdf({
    title: 'Tag AA:BB:CC:00:00:01',
    tenantName: 'Acme',
    details: [],
    from: T0,
    to: T0 + 3_600_000,
    band: { low: 2, high: 8 },
    tags: [],
    alerts: [],
    acknowledgements: [],
    generatedAt: T0 + 3_600_000,
  });

describe('signed PDF reports', () => {
  it('signs a rendered report in place: same length, still ending in %%EOF, and it verifies', async () => {
    const unsigned = await report();
    const { pdf, sha256 } = signer.sign(unsigned);
    expect(pdf.length).toBe(unsigned.length);
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\n?$/);
    expect(pdf.includes(REPORT_SIGNATURE_PLACEHOLDER)).toBe(false);
    expect(pdf.toString('latin1')).toContain(`sha256=${sha256}`);
    expect(signer.verify(pdf)).toEqual({ genuine: true, sha256, signedSha256: sha256 });
  });

  it('rejects a report with one byte changed, naming the changed content', async () => {
    const { pdf } = signer.sign(await report());
    const at = pdf.indexOf('/MediaBox');
    const tampered = Buffer.from(pdf);
    tampered[at + 1] ^= 0x01;
    expect(signer.verify(tampered)).toMatchObject({
      genuine: false,
      reason: expect.stringMatching(/changed/),
    });
  });

  it('rejects a forged signature value and a report signed with another key', async () => {
    const unsigned = await report();
    const { pdf } = signer.sign(unsigned);
    const forged = Buffer.from(
      pdf
        .toString('latin1')
        .replace(/ed25519=([0-9a-f])/, (_m, c: string) => `ed25519=${c === '0' ? '1' : '0'}`),
      'latin1',
    );
    expect(signer.verify(forged)).toMatchObject({
      genuine: false,
      reason: expect.stringMatching(/does not verify/),
    });
    const other = new ReportSigner('m'.repeat(32)).sign(unsigned).pdf;
    expect(signer.verify(other)).toMatchObject({
      genuine: false,
      reason: expect.stringMatching(/another key/),
    });
  });

  it('answers an unsigned PDF as not genuine and refuses what is not a PDF', async () => {
    expect(signer.verify(await report())).toMatchObject({
      genuine: false,
      reason: expect.stringMatching(/no coldchain signature/),
    });
    expect(() => signer.verify(Buffer.from('hello, not a pdf'))).toThrow(InvalidInputError);
  });

  it('derives the same key from the same secret, and serves it as SPKI PEM', () => {
    expect(new ReportSigner('k'.repeat(32)).keyId).toBe(signer.keyId);
    expect(signer.publicKeyPem()).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
});

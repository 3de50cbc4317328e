import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { InvalidInputError } from '@coldchain/errors';

/**
 * How a PDF report carries its SHA-256 and Ed25519 signature: in the
 * document information dictionary's `/Keywords` string, a fixed-width block
 *
 *   `coldchain-signature/v1 sha256=<64 hex> ed25519=<128 hex> key=<16 hex>`
 *
 * written as all zeros when the PDF is rendered, then overwritten in place
 * with the same number of bytes once the hash is known. Nothing moves, so the
 * cross-reference offsets stay right and the file stays a valid PDF (a block
 * appended after `%%EOF` is tolerated by most readers but not by strict
 * validators). The hash covers every byte of the file with the block's
 * values zeroed, as PDF signatures' ByteRange excludes their /Contents.
 * Ed25519 (RFC 8032) signs those 32 hash bytes; `key` is the first 8 bytes
 * of the SHA-256 of the raw public key, to tell "another key" from "changed".
 */
const MARKER = 'coldchain-signature/v1 ';
const FIELDS = { sha256: 64, ed25519: 128, key: 16 } as const;

const block = (v: { sha256: string; ed25519: string; key: string }): string =>
  `${MARKER}sha256=${v.sha256} ed25519=${v.ed25519} key=${v.key}`;

/** What `excursionReportPdf` writes into `/Keywords` for {@link ReportSigner.sign} to fill. */
export const REPORT_SIGNATURE_PLACEHOLDER = block({
  sha256: '0'.repeat(FIELDS.sha256),
  ed25519: '0'.repeat(FIELDS.ed25519),
  key: '0'.repeat(FIELDS.key),
});

const BLOCK_PATTERN =
  /coldchain-signature\/v1 sha256=([0-9a-f]{64}) ed25519=([0-9a-f]{128}) key=([0-9a-f]{16})/g;

/** PKCS#8 DER header of an Ed25519 private key (RFC 8410 §7) before its 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The answer of {@link ReportSigner.verify}; `reason` when not genuine. */
export interface ReportVerdict {
  /** True when the signature is this platform's and the bytes are those it signed. */
  genuine: boolean;
  /** SHA-256 (hex) of the bytes as received, the signature block zeroed; absent when there is no block. */
  sha256?: string;
  /** The hash the report claims, as signed. */
  signedSha256?: string;
  reason?: string;
}

/**
 * Signs and verifies PDF reports with one Ed25519 key, derived from a
 * secret of at least 32 bytes (its SHA-256 is the key's seed), so the key
 * can be kept like the platform's other secrets: a generated file in
 * DATA_DIR or an environment variable.
 */
export class ReportSigner {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** First 8 bytes (hex) of the SHA-256 of the raw 32-byte public key. */
  readonly keyId: string;

  constructor(secret: string) {
    const seed = createHash('sha256').update(secret, 'utf8').digest();
    this.privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  /** The public key, SPKI PEM, for anyone to verify reports offline. */
  publicKeyPem(): string {
    return this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /**
   * Fills the placeholder of a freshly rendered report; returns the signed
   * bytes and their SHA-256. Throws when `pdf` has no placeholder or several
   * (a programming error: the renderer writes exactly one).
   */
  sign(pdf: Buffer): { pdf: Buffer; sha256: string } {
    const placeholder = Buffer.from(REPORT_SIGNATURE_PLACEHOLDER, 'latin1');
    const at = pdf.indexOf(placeholder);
    if (at < 0 || pdf.indexOf(placeholder, at + 1) >= 0)
      throw new TypeError('report PDF must carry exactly one signature placeholder');
    const digest = createHash('sha256').update(pdf).digest();
    const signature = sign(null, digest, this.privateKey).toString('hex');
    const signed = Buffer.from(pdf);
    signed.write(
      block({ sha256: digest.toString('hex'), ed25519: signature, key: this.keyId }),
      at,
      'latin1',
    );
    return { pdf: signed, sha256: digest.toString('hex') };
  }

  /** Whether `bytes` are a report this key signed, unchanged since; never throws on bad content. */
  verify(bytes: Buffer): ReportVerdict {
    return verifyReport(bytes, this.publicKey);
  }
}

/** First 8 bytes (hex) of the SHA-256 of an Ed25519 public key's raw 32 bytes. */
function keyIdOf(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return createHash('sha256').update(raw).digest('hex').slice(0, FIELDS.key);
}

/**
 * Verifies a report's signature block against `publicKey`. Not genuine, with
 * the reason: not a PDF, no signature, several, signed by another key, bytes
 * changed since signing (the recomputed hash differs), or a signature that
 * does not verify.
 */
export function verifyReport(bytes: Buffer, publicKey: KeyObject): ReportVerdict {
  if (!bytes.subarray(0, 1024).includes('%PDF-'))
    throw new InvalidInputError('not a PDF: the upload does not start with a %PDF- header');
  const text = bytes.toString('latin1');
  const found = [...text.matchAll(BLOCK_PATTERN)];
  if (found.length === 0) return { genuine: false, reason: 'no coldchain signature in this PDF' };
  if (found.length > 1)
    return { genuine: false, reason: 'more than one signature block: the file was assembled' };
  const [block, signedSha256, signature, keyId] = found[0];
  if (block === REPORT_SIGNATURE_PLACEHOLDER)
    return {
      genuine: false,
      reason: 'no coldchain signature in this PDF: its signature block was never filled',
    };
  const zeroed = Buffer.from(bytes);
  zeroed.write(REPORT_SIGNATURE_PLACEHOLDER, found[0].index, 'latin1');
  const digest = createHash('sha256').update(zeroed).digest();
  const sha256 = digest.toString('hex');
  if (keyId !== keyIdOf(publicKey))
    return { genuine: false, sha256, signedSha256, reason: 'signed with another key than this platform’s' };
  if (sha256 !== signedSha256)
    return {
      genuine: false,
      sha256,
      signedSha256,
      reason: 'content changed after signing: the SHA-256 differs',
    };
  if (!verify(null, digest, publicKey, Buffer.from(signature, 'hex')))
    return { genuine: false, sha256, signedSha256, reason: 'the Ed25519 signature does not verify' };
  return { genuine: true, sha256, signedSha256 };
}

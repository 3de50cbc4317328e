import { useState } from 'preact/hooks';
import { api } from '../api';
import type { ReportVerdict } from '../model';
import { ErrorBox, PageHeader } from '../ui';

/**
 * Report verification for an auditor: pick a PDF report, the API recomputes
 * its SHA-256 with the signature block zeroed and checks the Ed25519
 * signature (POST /api/v1/reports/verify), and the page says genuine and
 * unchanged, or why not. The file is sent as its bytes, typed as a PDF
 * whatever the browser guessed: the API tells a non-PDF apart itself.
 */
export function VerifyReportPage() {
  const [file, setFile] = useState<File>();
  const [verdict, setVerdict] = useState<ReportVerdict>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const check = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setError(undefined);
    setVerdict(undefined);
    setBusy(true);
    try {
      setVerdict(
        await api<ReportVerdict>(
          'POST',
          '/api/v1/reports/verify',
          new Blob([file], { type: 'application/pdf' }),
        ),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <PageHeader title="Verify a report" />
      <p class="muted">
        Every PDF report carries its SHA-256 and an Ed25519 signature of this platform. Choose a report to
        check that it is genuine and that not one byte changed since it was downloaded.
      </p>
      <form class="card" onSubmit={(e) => void check(e)} aria-label="Report verification">
        <label>
          PDF report
          <input
            type="file"
            name="report"
            accept="application/pdf,.pdf"
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0]);
              setVerdict(undefined);
              setError(undefined);
            }}
          />
        </label>
        <button type="submit" class="primary" disabled={!file || busy}>
          {busy ? 'Checking…' : 'Verify'}
        </button>
      </form>
      {error !== undefined && <ErrorBox error={error} />}
      {verdict && (
        <div class={verdict.genuine ? 'ok' : 'error'} role="status" data-testid="report-verdict">
          <p>
            <strong>
              {verdict.genuine
                ? 'Genuine and unchanged.'
                : `Not genuine: ${verdict.reason ?? 'unknown reason'}.`}
            </strong>
          </p>
          {verdict.sha256 && (
            <p class="mono">
              SHA-256 of {file?.name ?? 'the file'}: {verdict.sha256}
            </p>
          )}
          <p class="muted">Signing key id: {verdict.keyId}</p>
        </div>
      )}
    </section>
  );
}

import type { ComponentChildren } from 'preact';
import { describeError } from './api';
import { STATUS_LABEL, type TagStatus } from './model';

/** An error with the API's problems listed (a 400 names each field at fault); announced to screen readers. */
export function ErrorBox({ error }: { error: unknown }) {
  const { message, problems } = describeError(error);
  return (
    <div class="error" role="alert">
      <p>{message}</p>
      {problems.length > 0 && (
        <ul>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A status shown by colour and by word (never by colour alone). */
export function StatusPill({ status }: { status: TagStatus }) {
  return <span class={`pill pill-${status}`}>{STATUS_LABEL[status]}</span>;
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </div>
  );
}

/** Previous / next page controls of a paged list, with the position spoken. */
export function Pager({
  page,
  pages,
  total,
  onPage,
  label,
}: {
  page: number;
  pages: number;
  total: number;
  onPage: (p: number) => void;
  label: string;
}) {
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" disabled={page <= 0} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span aria-live="polite" data-testid="pager-position">
        Page {pages === 0 ? 0 : page + 1} of {pages} ({total} {label})
      </span>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}

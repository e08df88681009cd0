import type { ReactNode } from 'react';
import { ApiError } from '../api';
import type { Resource } from '../hooks/useResource';

/** "Loading clusters…", announced politely to screen readers. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="state state--loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      Loading {what}…
    </p>
  );
}

/** Something failed: what, why in words, and a way forward. */
export function ErrorState({
  title,
  message,
  error,
  onRetry,
  children,
}: {
  title: string;
  message: string;
  /** The error itself: an API error adds its details and request id. */
  error?: unknown;
  onRetry?: () => void;
  children?: ReactNode;
}) {
  const details = error instanceof ApiError ? error.details : [];
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="state state--error" role="alert">
      <p className="state__title">{title}</p>
      <p>{message}</p>
      {details.length > 0 && (
        <ul className="state__details">
          {details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      {children}
      {(onRetry || requestId) && (
        <p className="state__actions">
          {onRetry && (
            <button type="button" className="button button--secondary" onClick={onRetry}>
              Try again
            </button>
          )}
          {requestId && <span className="muted">Request id: {requestId}</span>}
        </p>
      )}
    </div>
  );
}

/** Nothing here yet, and what to do about it. */
export function EmptyState({
  title,
  children,
  testId,
}: {
  title: string;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="state state--empty" data-testid={testId}>
      <p className="state__title">{title}</p>
      {children}
    </div>
  );
}

/** Loading / error / loaded for one resource, with the words for each. */
export function ResourceView<T>({
  resource,
  what,
  onRetry,
  children,
}: {
  resource: Resource<T>;
  /** What is loading, as a noun phrase: "members", "the audit log". */
  what: string;
  onRetry?: () => void;
  children: (data: T) => ReactNode;
}) {
  if (resource.status === 'loading') return <Loading what={what} />;
  if (resource.status === 'error') {
    return (
      <ErrorState
        title={`Could not load ${what}.`}
        message={resource.message}
        error={resource.error}
        onRetry={onRetry}
      />
    );
  }
  return <>{children(resource.data)}</>;
}

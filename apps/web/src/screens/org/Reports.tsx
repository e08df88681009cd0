import type { PaperSize, ReportRecord } from '@plumbline/contracts';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { listReports, PENDING_STATUSES, reportPdfUrl, requestReport } from '../../api/reports';
import { FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { EmptyState, ResourceView } from '../../components/states';
import { formatDateTime } from '../../format';
import { useResource } from '../../hooks/useResource';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { PAPER_SIZES } from '../../vocabulary';
import { useClusters } from './useClusters';

/** How often the list is refreshed while a report is queued or rendering. */
const POLL_MS = 1500;
const PAGE = 20;

const STATUS_WORDS: Record<ReportRecord['status'], string> = {
  queued: 'Queued',
  rendering: 'Rendering…',
  ready: 'Ready',
  failed: 'Failed',
};
const STATUS_PILL: Record<ReportRecord['status'], string> = {
  queued: 'pending',
  rendering: 'pending',
  ready: 'ok',
  failed: 'error',
};

const PAPER_WORDS: Record<PaperSize, string> = {
  A4: 'A4 (210 × 297 mm)',
  Letter: 'US Letter (8.5 × 11 in)',
};

function RequestForm({ onRequested }: { onRequested: (r: ReportRecord) => void }) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const [clusters] = useClusters();
  const [scope, setScope] = useState('');
  const [paperSize, setPaperSize] = useState<PaperSize>('A4');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onRequested(
        await requestReport(api, org.id, { paperSize, ...(scope ? { clusterId: scope } : {}) }),
      );
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="inline-form"
      onSubmit={submit}
      aria-label="Request a PDF report"
      aria-busy={busy}
    >
      <div className="field">
        <label htmlFor={`${ids}-scope`}>Scope</label>
        <select id={`${ids}-scope`} value={scope} onChange={(e) => setScope(e.target.value)}>
          <option value="">The whole organisation</option>
          {clusters.status === 'loaded' &&
            clusters.data.map((c) => (
              <option key={c.id} value={c.id}>
                Cluster {c.name}
              </option>
            ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-paper`}>Paper size</label>
        <select
          id={`${ids}-paper`}
          value={paperSize}
          onChange={(e) => setPaperSize(e.target.value as PaperSize)}
        >
          {PAPER_SIZES.map((p) => (
            <option key={p} value={p}>
              {PAPER_WORDS[p]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Requesting…' : 'Request PDF'}
      </button>
      <FormError error={error} />
    </form>
  );
}

function ReportRow({ orgId, report }: { orgId: string; report: ReportRecord }) {
  const when = formatDateTime(report.createdAt);
  return (
    <tr data-testid="report-row" data-status={report.status} data-report-id={report.id}>
      <th scope="row">{when}</th>
      <td>{report.scope === 'organisation' ? 'Whole organisation' : report.scope}</td>
      <td>{report.paperSize}</td>
      <td>
        <span className={`status-pill status-pill--${STATUS_PILL[report.status]}`}>
          {STATUS_WORDS[report.status]}
        </span>
        {report.status === 'failed' && (
          <p className="form-error" style={{ marginTop: '0.4rem' }} data-testid="report-error">
            Why: {report.error ?? 'no reason was recorded'}
          </p>
        )}
      </td>
      <td className="num">{report.pageCount ?? '—'}</td>
      <td>
        {report.status === 'ready' ? (
          <a
            className="button button--small"
            href={reportPdfUrl(orgId, report.id)}
            download
            aria-label={`Download PDF: the report of ${when}`}
          >
            Download PDF
          </a>
        ) : (
          <span className="muted">
            {report.status === 'failed' ? 'Request it again' : 'Not ready yet'}
          </span>
        )}
      </td>
    </tr>
  );
}

export default function Reports() {
  const api = useApi();
  const org = useOrg();
  const canRequest = useCan('member');
  const [limit, setLimit] = useState(PAGE);
  const [last, setLast] = useState<ReportRecord | null>(null);
  const [reports, reload] = useResource(
    (signal) => listReports(api, org.id, { limit, signal }),
    [api, org.id, limit],
  );

  // Poll while a report is still being made; stop when all are ready or failed.
  const pending =
    reports.status === 'loaded' &&
    reports.data.items.some((r) => PENDING_STATUSES.includes(r.status));
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [pending, reports, reload]);

  return (
    <>
      <PageTitle title={`Reports · ${org.name}`}>Reports</PageTitle>
      <p className="muted">
        The leadership report: a PDF for the organisation or one cluster, with the maturity and
        accountability levels, the integration tax, the first actions to take and the evidence
        behind them, to forward to leadership. Plumbline renders it in the background; it appears
        below when ready.
      </p>
      {canRequest ? (
        <RequestForm
          onRequested={(r) => {
            setLast(r);
            reload();
          }}
        />
      ) : (
        <p className="notice">Viewers can download reports; members and above can request them.</p>
      )}
      {last && (
        <p className="callout" role="status" data-testid="report-requested">
          Requested {last.paperSize === 'A4' ? 'an' : 'a'} {last.paperSize} report of{' '}
          {last.scope === 'organisation' ? 'the whole organisation' : last.scope}. It is being
          rendered; this list updates by itself.
        </p>
      )}
      <h2>Past reports</h2>
      <ResourceView resource={reports} what="the reports" onRetry={reload}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No report requested yet." testId="reports-empty" />
          ) : (
            <>
              <div className="table-wrap">
                <table className="table" data-testid="reports-table">
                  <caption className="visually-hidden">
                    Reports, newest first, with their status
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Requested</th>
                      <th scope="col">Scope</th>
                      <th scope="col">Paper</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Pages
                      </th>
                      <th scope="col">PDF</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((r) => (
                      <ReportRow key={r.id} orgId={org.id} report={r} />
                    ))}
                  </tbody>
                </table>
              </div>
              {page.nextCursor && (
                <p>
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => setLimit((n) => Math.min(200, n + PAGE))}
                  >
                    Show older reports
                  </button>
                </p>
              )}
            </>
          )
        }
      </ResourceView>
    </>
  );
}

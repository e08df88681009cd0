import type { Finding, HistoryEntry, ScanDiff } from '@plumbline/contracts';
import { useId } from 'react';
import { Money } from '../../../components/Money';
import { SeverityBadge } from '../../../components/SeverityBadge';
import { ResourceView } from '../../../components/states';
import { formatDateTime, formatMoney, formatPercent } from '../../../format';
import { useResource } from '../../../hooks/useResource';
import { navigate, useLocation } from '../../../router/history';
import { Link } from '../../../router/Link';
import { paths } from '../../../router/routes';
import { useOrg } from '../../../session/org';
import { useApi } from '../../../session/session';
import { scanStatus } from '../words';

export interface AnalysedScan {
  scanId: string;
  at: string;
}

/** Analysed scans (the ones a diff can compare), newest first. */
export function analysedScans(entries: readonly HistoryEntry[]): AnalysedScan[] {
  return entries
    .filter((e) => e.status === 'succeeded' && e.summary !== null)
    .map((e) => ({ scanId: e.scanId, at: e.collectedAt ?? e.createdAt }));
}

/**
 * Which two scans to compare, from what the URL asks: `to` defaults to the newest analysed scan,
 * `from` to the one before `to` and must be older than it (null: `to` is the first analysed
 * scan, so everything in it is new). Ids that are not analysed scans of this cluster are ignored.
 */
export function diffSelection(
  scans: readonly AnalysedScan[],
  wanted: { from?: string | null; to?: string | null },
): { from: string | null; to: string; older: AnalysedScan[] } | null {
  if (!scans.length) return null;
  const toIndex = Math.max(
    0,
    scans.findIndex((s) => s.scanId === wanted.to),
  );
  const older = scans.slice(toIndex + 1);
  const from = older.find((s) => s.scanId === wanted.from) ?? older[0] ?? null;
  return { to: scans[toIndex]!.scanId, from: from?.scanId ?? null, older };
}

function scanLabel(s: AnalysedScan, newest: boolean): string {
  return `${formatDateTime(s.at)}${newest ? ' (newest)' : ''}`;
}

function levelChange(label: string, from: number | null, to: number | null): string {
  if (from === null && to === null) return `${label}: not assessed`;
  if (from === null) return `${label}: level ${to}`;
  if (to === null) return `${label}: level ${from}, then not assessed`;
  if (from === to) return `${label}: level ${to}, unchanged`;
  return `${label}: level ${from} → ${to}`;
}

function taxChange(from: number | null, to: number): string {
  if (from === null) return `Cluster tax: ${formatMoney(to)} a year`;
  if (from === to) return `Cluster tax: ${formatMoney(to)} a year, unchanged`;
  return `Cluster tax: ${formatMoney(from)} → ${formatMoney(to)} a year`;
}

function FindingRows({
  findings,
  clusterId,
  linkable,
  reason,
}: {
  findings: readonly (Finding & { reason?: string })[];
  clusterId: string;
  /** The finding is in the scan the cluster page shows, so its evidence page exists. */
  linkable: boolean;
  reason?: boolean;
}) {
  const org = useOrg();
  return (
    <ul className="diff-list">
      {findings.map((f) => (
        <li key={f.id}>
          <SeverityBadge severity={f.severity} />{' '}
          {linkable ? (
            <Link to={paths.clusterFinding(org.id, clusterId, f.id)}>{f.title}</Link>
          ) : (
            <span>{f.title}</span>
          )}{' '}
          <span className="muted">({f.pillarName})</span>
          {reason && f.reason && <span className="diff-list__reason"> {f.reason}</span>}
        </li>
      ))}
    </ul>
  );
}

/** New, fixed and regressed findings between the two chosen scans, and the level changes. */
export function DiffView({
  diff,
  clusterId,
  shownScanId,
}: {
  diff: ScanDiff;
  clusterId: string;
  /** The scan the cluster page shows: findings of it have an evidence page. */
  shownScanId: string | null;
}) {
  const linkable = diff.to.scanId === shownScanId;
  const groups: { id: string; title: string; items: (Finding & { reason?: string })[] }[] = [
    { id: 'new', title: 'New', items: diff.new },
    { id: 'regressed', title: 'Regressed', items: diff.regressed },
    { id: 'fixed', title: 'Fixed', items: diff.fixed },
  ];
  return (
    <div data-testid="scan-diff">
      <ul className="diff-levels">
        <li>
          {levelChange('Operational maturity', diff.levels.maturity.from, diff.levels.maturity.to)}
        </li>
        <li>
          {levelChange(
            'AI accountability',
            diff.levels.accountability.from,
            diff.levels.accountability.to,
          )}
        </li>
        <li>{taxChange(diff.levels.taxCents.from, diff.levels.taxCents.to)}</li>
      </ul>
      <p className="diff-summary" data-testid="diff-summary">
        {diff.new.length} new, {diff.regressed.length} regressed, {diff.fixed.length} fixed and{' '}
        {diff.unchanged} unchanged findings
        {diff.from.scanId === null ? ' (the first analysed scan: everything in it is new)' : ''}.
      </p>
      <div className="grid-3">
        {groups.map((g) => (
          <section key={g.id} aria-labelledby={`diff-${g.id}`} data-testid={`diff-${g.id}`}>
            <h4 id={`diff-${g.id}`}>
              {g.title} ({g.items.length})
            </h4>
            {g.items.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <FindingRows
                findings={g.items}
                clusterId={clusterId}
                linkable={linkable && g.id !== 'fixed'}
                reason={g.id === 'regressed'}
              />
            )}
          </section>
        ))}
      </div>
    </div>
  );
}

function readQuery(search: string) {
  const q = new URLSearchParams(search);
  return { from: q.get('from'), to: q.get('to') };
}

/** The diff between two chosen scans; the choice lives in the URL (`?from=&to=`). */
function ScanChanges({
  clusterId,
  scans,
  shownScanId,
}: {
  clusterId: string;
  scans: AnalysedScan[];
  shownScanId: string | null;
}) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const { pathname, search, hash } = useLocation();
  const selection = diffSelection(scans, readQuery(search));
  const [diff, reload] = useResource(
    (signal) =>
      selection
        ? api.clusterDiff(org.id, clusterId, {
            to: selection.to,
            from: selection.from ?? undefined,
            signal,
          })
        : Promise.resolve(null),
    [api, org.id, clusterId, selection?.from, selection?.to],
  );
  if (!selection) {
    return <p className="muted">No analysed scan yet: there is nothing to compare.</p>;
  }
  const choose = (next: { from?: string | null; to?: string | null }) => {
    const wanted = { from: selection.from, to: selection.to, ...next };
    const normal = diffSelection(scans, wanted)!;
    const q = new URLSearchParams(search);
    q.set('to', normal.to);
    if (normal.from) q.set('from', normal.from);
    else q.delete('from');
    navigate(`${pathname}?${q.toString()}${hash}`, { replace: true });
  };
  return (
    <>
      <div className="inline-form diff-picker">
        <div className="field">
          <label htmlFor={`${ids}-from`}>Compare from</label>
          {selection.older.length ? (
            <select
              id={`${ids}-from`}
              value={selection.from ?? ''}
              onChange={(e) => choose({ from: e.target.value })}
            >
              {selection.older.map((s) => (
                <option key={s.scanId} value={s.scanId}>
                  {scanLabel(s, false)}
                </option>
              ))}
            </select>
          ) : (
            <p className="muted" id={`${ids}-from`}>
              nothing older: the first analysed scan
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-to`}>to</label>
          <select
            id={`${ids}-to`}
            value={selection.to}
            onChange={(e) => choose({ to: e.target.value })}
          >
            {scans.map((s, i) => (
              <option key={s.scanId} value={s.scanId}>
                {scanLabel(s, i === 0)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ResourceView resource={diff} what="the changes" onRetry={reload}>
        {(d) => d && <DiffView diff={d} clusterId={clusterId} shownScanId={shownScanId} />}
      </ResourceView>
    </>
  );
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : formatPercent(v);
}

/** Every scan of the cluster with its digest, and what changed between two of them. */
export function ScanHistory({
  clusterId,
  shownScanId,
}: {
  clusterId: string;
  shownScanId: string | null;
}) {
  const api = useApi();
  const org = useOrg();
  const [history, reload] = useResource(
    (signal) => api.clusterHistory(org.id, clusterId, { limit: 50, signal }),
    [api, org.id, clusterId],
  );
  return (
    <>
      <section className="panel" aria-labelledby="history-title" id="history" tabIndex={-1}>
        <h2 id="history-title">Scan history</h2>
        <ResourceView resource={history} what="the scan history" onRetry={reload}>
          {(page) =>
            page.items.length === 0 ? (
              <p className="muted">No scans yet.</p>
            ) : (
              <div className="table-wrap">
                <table className="table table--compact" data-testid="scan-history">
                  <caption className="visually-hidden">Scans, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Scan</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Maturity
                      </th>
                      <th scope="col" className="num">
                        Score
                      </th>
                      <th scope="col" className="num">
                        Accountability
                      </th>
                      <th scope="col" className="num">
                        Policy coverage (in / out)
                      </th>
                      <th scope="col" className="num">
                        Findings
                      </th>
                      <th scope="col" className="num">
                        Cluster tax
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((e) => {
                      const s = e.summary;
                      const status = scanStatus(e.status);
                      return (
                        <tr key={e.scanId}>
                          <th scope="row">
                            <time dateTime={e.collectedAt ?? e.createdAt}>
                              {formatDateTime(e.collectedAt ?? e.createdAt)}
                            </time>
                            {e.scanId === shownScanId && <span className="tag">shown above</span>}
                          </th>
                          <td>
                            <span className={`status-pill status-pill--${status.kind}`}>
                              {status.label}
                            </span>
                          </td>
                          <td className="num">{s ? `L${s.maturity.level}` : '—'}</td>
                          <td className="num">{s ? s.maturity.score : '—'}</td>
                          <td className="num">
                            {s?.accountability.level !== null &&
                            s?.accountability.level !== undefined
                              ? `L${s.accountability.level}`
                              : '—'}
                          </td>
                          <td className="num">
                            {s
                              ? `${pct(s.networkPolicy.ingress)} / ${pct(s.networkPolicy.egress)}`
                              : '—'}
                          </td>
                          <td className="num">{s ? Object.keys(s.findings).length : '—'}</td>
                          <td className="num">{s ? <Money cents={s.taxCents} /> : '—'}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          }
        </ResourceView>
      </section>
      <section className="panel" aria-labelledby="changes-title" id="changes" tabIndex={-1}>
        <h2 id="changes-title">What changed between scans</h2>
        <ResourceView resource={history} what="the scans to compare" onRetry={reload}>
          {(page) => (
            <ScanChanges
              clusterId={clusterId}
              scans={analysedScans(page.items)}
              shownScanId={shownScanId}
            />
          )}
        </ResourceView>
      </section>
    </>
  );
}

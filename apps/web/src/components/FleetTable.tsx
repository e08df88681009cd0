import { useState, type ReactNode } from 'react';
import { formatDateTime, formatPercent, formatRelative } from '../format';
import { LevelBadge } from './LevelBadge';

export type FleetStatusKind = 'ok' | 'warning' | 'error' | 'pending';

export interface FleetRow {
  id: string;
  name: string;
  /** The cluster's detail page. */
  href: string;
  /** Operational maturity level (0-4); null until a scan was analysed. */
  level: number | null;
  /** Where the level comes from (the cluster's maturity section). */
  levelHref?: string;
  lowestPillar: { name: string; href?: string } | null;
  /**
   * Replica-weighted NetworkPolicy isolation, 0-100 per direction (null: not determinable);
   * the whole value is null until a scan was analysed.
   */
  coverage: { ingress: number | null; egress: number | null; href?: string } | null;
  lastScanAt: string | null;
  /** Where the scan history is. */
  lastScanHref?: string;
  status: { kind: FleetStatusKind; label: string };
  production?: boolean;
}

export type FleetSortKey = 'name' | 'level' | 'coverage' | 'lastScanAt';
export type SortDirection = 'ascending' | 'descending';

function sortValue(row: FleetRow, key: FleetSortKey): string | number | null {
  if (key === 'lastScanAt') return row.lastScanAt ? Date.parse(row.lastScanAt) : null;
  if (key === 'coverage') return row.coverage?.ingress ?? null;
  return row[key];
}

function percentOrDash(v: number | null): string {
  return v === null ? '—' : formatPercent(v);
}

/** A cell's content, as a link when it has somewhere to go. */
function MaybeLink({ href, children }: { href?: string; children: ReactNode }) {
  return href ? (
    <a href={href} className="plain-link">
      {children}
    </a>
  ) : (
    <>{children}</>
  );
}

/**
 * Rows sorted by one column. Missing values (never scanned, not analysed) always come last, in
 * either direction; ties keep the cluster names in order.
 */
export function sortFleet(
  rows: readonly FleetRow[],
  key: FleetSortKey,
  direction: SortDirection,
): FleetRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va === null || vb === null) {
      if (va === vb) return a.name.localeCompare(b.name);
      return va === null ? 1 : -1;
    }
    const cmp = typeof va === 'string' ? va.localeCompare(String(vb)) : va - Number(vb);
    return cmp !== 0 ? cmp * sign : a.name.localeCompare(b.name);
  });
}

const COLUMNS: { key: FleetSortKey | null; label: string }[] = [
  { key: 'name', label: 'Cluster' },
  { key: 'level', label: 'Level' },
  { key: null, label: 'Lowest pillar' },
  { key: 'coverage', label: 'Policy coverage' },
  { key: 'lastScanAt', label: 'Last scan' },
  { key: null, label: 'Status' },
];

/** The fleet: one row per cluster, sortable by its column headers, every cell a way in. */
export function FleetTable({
  rows,
  now,
  caption = 'Clusters',
}: {
  rows: readonly FleetRow[];
  /** The time "3 days ago" is counted from. */
  now: Date;
  caption?: string;
}) {
  const [sort, setSort] = useState<{ key: FleetSortKey; direction: SortDirection }>({
    key: 'name',
    direction: 'ascending',
  });
  const sorted = sortFleet(rows, sort.key, sort.direction);

  const toggle = (key: FleetSortKey) =>
    setSort((s) =>
      s.key === key
        ? { key, direction: s.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: key === 'name' ? 'ascending' : 'descending' },
    );

  return (
    <div className="table-wrap">
      <table className="table fleet-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.label}
                scope="col"
                aria-sort={c.key && sort.key === c.key ? sort.direction : undefined}
              >
                {c.key ? (
                  <button type="button" className="sort-button" onClick={() => toggle(c.key!)}>
                    {c.label}
                    <span aria-hidden="true" className="sort-button__arrow">
                      {sort.key === c.key ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.id} data-testid={`fleet-row-${r.name}`}>
              <th scope="row">
                <a href={r.href}>{r.name}</a>
                {r.production && <span className="tag">production</span>}
              </th>
              <td>
                <a href={r.levelHref ?? r.href} className="plain-link">
                  <LevelBadge level={r.level} short />
                </a>
              </td>
              <td>
                {r.lowestPillar ? (
                  r.lowestPillar.href ? (
                    <a href={r.lowestPillar.href}>{r.lowestPillar.name}</a>
                  ) : (
                    r.lowestPillar.name
                  )
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td className="fleet-table__coverage">
                {r.coverage === null ? (
                  <span className="muted">—</span>
                ) : (
                  <MaybeLink href={r.coverage.href}>
                    <span>ingress {percentOrDash(r.coverage.ingress)}</span>
                    <span className="muted"> · </span>
                    <span>egress {percentOrDash(r.coverage.egress)}</span>
                  </MaybeLink>
                )}
              </td>
              <td>
                {r.lastScanAt ? (
                  <MaybeLink href={r.lastScanHref}>
                    <time dateTime={r.lastScanAt} title={formatDateTime(r.lastScanAt)}>
                      {formatRelative(r.lastScanAt, now)}
                    </time>
                  </MaybeLink>
                ) : (
                  <span className="muted">never</span>
                )}
              </td>
              <td>
                <span className={`status-pill status-pill--${r.status.kind}`}>
                  {r.status.label}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

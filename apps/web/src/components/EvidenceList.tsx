export type EvidenceStatus = 'met' | 'not-met' | 'unknown';

export interface EvidenceItem {
  id: string;
  /** What the evidence is: an object reference, a count, a configuration value. */
  label: string;
  detail?: string;
  /** Where the evidence can be inspected; every item with one is a link. */
  href?: string;
  status?: EvidenceStatus;
}

const STATUS_WORDS: Record<EvidenceStatus, string> = {
  met: 'Met',
  'not-met': 'Not met',
  unknown: 'Unknown',
};

/** Evidence items, each linking to where it can be checked. */
export function EvidenceList({
  items,
  title,
  emptyText = 'No evidence recorded.',
}: {
  items: readonly EvidenceItem[];
  title?: string;
  emptyText?: string;
}) {
  return (
    <div className="evidence">
      {title && <h3 className="evidence__title">{title}</h3>}
      {items.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <ul className="evidence__list">
          {items.map((item) => (
            <li key={item.id} className="evidence__item">
              {item.status && (
                <span className={`status-pill status-pill--${item.status}`}>
                  {STATUS_WORDS[item.status]}
                </span>
              )}
              <span className="evidence__body">
                {item.href ? (
                  <a href={item.href} className="evidence__label">
                    {item.label}
                  </a>
                ) : (
                  <span className="evidence__label">{item.label}</span>
                )}
                {item.detail && <span className="evidence__detail">{item.detail}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

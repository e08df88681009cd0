import { formatMoney } from '../format';

/** An amount of integer cents as dollars; the exact amount is in the title. */
export function Money({
  cents,
  compact = false,
  perYear = false,
}: {
  cents: number;
  compact?: boolean;
  /** Append "/ year" (the integration tax is yearly). */
  perYear?: boolean;
}) {
  return (
    <span className="money" title={formatMoney(cents, { cents: true })}>
      {formatMoney(cents, { compact })}
      {perYear && <span className="money__unit"> / year</span>}
    </span>
  );
}

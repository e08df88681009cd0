import type { CostResponse } from '@plumbline/contracts';
import { Money } from '../../components/Money';
import { ErrorState, ResourceView } from '../../components/states';
import { formatPercent } from '../../format';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { assumptionLabel } from './tax/assumptions';

/**
 * A formula input's value: whole numbers as they are, others with 4 significant digits (a price
 * of $0.004237 an hour is never shown as 0).
 */
export function formatInput(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(4)));
}

function LineView({ orgId, data, lineId }: { orgId: string; data: CostResponse; lineId: string }) {
  const tax = data.integrationTax;
  const line = tax?.lines.find((l) => l.id === lineId);
  const breadcrumb = (
    <p className="breadcrumb">
      <Link to={paths.tax(orgId)}>Integration tax</Link> <span aria-hidden="true">›</span>
    </p>
  );
  if (!tax || !line) {
    return (
      <>
        {breadcrumb}
        <PageTitle title="Cost line not found">Cost line not found</PageTitle>
        <ErrorState
          title="There is no such line in the integration tax."
          message={
            tax
              ? 'The link may be from an older cost model.'
              : 'No scan has been analysed yet, so there is no tax.'
          }
        >
          <p>
            <Link to={paths.tax(orgId)}>Back to the integration tax</Link>
          </p>
        </ErrorState>
      </>
    );
  }
  const share = tax.totalCents > 0 ? (line.cents / tax.totalCents) * 100 : 0;
  const inputs = Object.entries(line.inputs);
  const meaning = new Map(line.symbols.map((x) => [x.symbol, x.meaning]));
  const sources = Object.entries(line.sources);
  const entered = line.entered;
  return (
    <>
      {breadcrumb}
      <PageTitle title={`${line.label} · Integration tax`}>{line.label}</PageTitle>
      <section className="panel" aria-labelledby="line-amount-title" data-testid="evidence-view">
        <h2 id="line-amount-title">Amount</h2>
        <p className="headline">
          <span className="big-number" data-testid="line-amount">
            <Money cents={line.cents} perYear />
          </span>{' '}
          <span className="muted">
            {formatPercent(share)} of the total (<Money cents={tax.totalCents} />)
          </span>
        </p>
        {line.note && <p className="notice">{line.note}</p>}
        <h3>Formula</h3>
        <pre className="formula" data-testid="line-formula">
          <code>{line.formula}</code>
        </pre>
        {line.explanation.length > 0 && (
          <>
            <h3>With the values</h3>
            <ul className="plain-list" data-testid="line-explanation">
              {line.explanation.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="line-inputs-title">
        <h2 id="line-inputs-title">Inputs</h2>
        {inputs.length === 0 ? (
          <p className="muted">This line has no inputs.</p>
        ) : (
          <table className="table table--compact" data-testid="line-inputs">
            <caption className="visually-hidden">The formula’s inputs and their values</caption>
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col">Stands for</th>
                <th scope="col" className="num">
                  Value
                </th>
              </tr>
            </thead>
            <tbody>
              {inputs.map(([symbol, value]) => (
                <tr key={symbol}>
                  <th scope="row">
                    <code>{symbol}</code>
                  </th>
                  <td>{meaning.get(symbol) ?? '—'}</td>
                  <td className="num">{formatInput(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="line-sources-title">
        <h2 id="line-sources-title">Where the defaults come from</h2>
        {entered.length > 0 && (
          <p data-testid="line-entered">
            Entered by your organisation:{' '}
            {entered.map((key, i) => (
              <span key={key}>
                {i > 0 && ', '}
                <Link to={`${paths.tax(orgId)}#assumption-${key}`}>{assumptionLabel(key)}</Link>
              </span>
            ))}
            .
          </p>
        )}
        {sources.length === 0 ? (
          <p className="muted">
            Every assumption of this line is the organisation’s own value, or it has none.
          </p>
        ) : (
          <table className="table table--compact" data-testid="line-defaults">
            <caption className="visually-hidden">Assumptions left at their default</caption>
            <thead>
              <tr>
                <th scope="col">Assumption</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {sources.map(([key, source]) => (
                <tr key={key}>
                  <th scope="row">
                    <Link to={`${paths.tax(orgId)}#assumption-${key}`}>{assumptionLabel(key)}</Link>
                  </th>
                  <td>{source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

/** One integration-tax line: its amount, formula, inputs and where each default comes from. */
export default function TaxLine({ lineId }: { lineId: string }) {
  const api = useApi();
  const org = useOrg();
  const [resource, reload] = useResource((signal) => api.cost(org.id, signal), [api, org.id]);
  if (resource.status !== 'loaded') {
    return (
      <>
        <PageTitle title={`Cost line · ${org.name}`}>Cost line</PageTitle>
        <ResourceView resource={resource} what="the cost line" onRetry={reload}>
          {() => null}
        </ResourceView>
      </>
    );
  }
  return <LineView orgId={org.id} data={resource.data} lineId={lineId} />;
}

import type { CostResponse, IntegrationTax as Tax } from '@plumbline/contracts';
import { useEffect, useRef, useState } from 'react';
import { Money } from '../../components/Money';
import { MoneyBars, TaxStackedBar, Tornado } from '../../components/charts';
import { EmptyState, ErrorState, ResourceView } from '../../components/states';
import { formatDateTime, formatMoney, formatPercent } from '../../format';
import { useHashTarget } from '../../hooks/useHashTarget';
import { useResource } from '../../hooks/useResource';
import { paths } from '../../router/routes';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { InstallScannerSteps } from './InstallScanner';
import { AssumptionsEditor } from './tax/AssumptionsEditor';
import { assumptionLabel } from './tax/assumptions';
import { readVms, sortVms, type VmReadiness } from './tax/vms';
import { plural } from './words';

/** "The integration tax is now $X a year, $Y less than before." */
export function recomputedSentence(beforeCents: number | null, afterCents: number | null): string {
  if (afterCents === null) return 'Saved. The tax appears once a scan has been analysed.';
  const now = `Saved. The integration tax is now ${formatMoney(afterCents)} a year`;
  if (beforeCents === null) return `${now}.`;
  const diff = afterCents - beforeCents;
  if (diff === 0) return `${now}, unchanged.`;
  return `${now}, ${formatMoney(Math.abs(diff))} ${diff > 0 ? 'more' : 'less'} than before (${formatMoney(beforeCents)}).`;
}

function toolName(tax: Tax, id: string): string {
  return tax.tools.find((t) => t.id === id)?.name ?? id;
}

const roiText = (r: number | null) => (r === null ? '—' : formatPercent(r * 100));
const monthsText = (m: number | null) => (m === null ? 'never' : `${m} months`);

/** What each cluster adds to the organisation's tax, and why (marginal, not a share). */
function PerCluster({ tax }: { tax: Tax }) {
  if (tax.perCluster.length < 2) return null;
  return (
    <section className="panel" aria-labelledby="per-cluster-title" id="per-cluster">
      <h2 id="per-cluster-title">What each cluster adds</h2>
      <p className="muted">
        The tax of the whole fleet minus the tax without that cluster. A cluster that brings a tool
        no other runs adds its seams to every layer it integrates with.
      </p>
      <table className="table table--compact" data-testid="per-cluster">
        <caption className="visually-hidden">Each cluster’s contribution to the tax</caption>
        <thead>
          <tr>
            <th scope="col">Cluster</th>
            <th scope="col" className="num">
              Adds
            </th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {tax.perCluster.map((c) => (
            <tr key={c.cluster}>
              <th scope="row">{c.cluster}</th>
              <td className="num">
                <Money cents={c.marginalCents} perYear />
              </td>
              <td>{c.why.replace(/^[^:]*: /, '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Consolidation({ tax }: { tax: Tax }) {
  const c = tax.consolidation;
  return (
    <section className="panel" aria-labelledby="consolidation-title" id="consolidation">
      <h2 id="consolidation-title">Consolidation</h2>
      <p>
        Moving from {plural(tax.tools.length, 'tool')} to {plural(c.consolidatedTools, 'platform')}{' '}
        leaves a tax of <Money cents={c.consolidatedTaxCents} perYear /> plus a platform licence of{' '}
        <Money cents={c.platformLicenceCents} perYear />
        {c.platformLicenceBasis ? ` (${c.platformLicenceBasis})` : ''}.
      </p>
      <dl className="figures" data-testid="consolidation">
        <div className="figure">
          <dt>Saved per year</dt>
          <dd>
            <Money cents={c.annualSavingsCents} />
          </dd>
        </div>
        <div className="figure">
          <dt>One-off migration</dt>
          <dd>
            <Money cents={c.migrationCostCents} />
          </dd>
        </div>
        <div className="figure">
          <dt>Return over 3 years</dt>
          <dd>{c.threeYearRoi === null ? '—' : formatPercent(c.threeYearRoi * 100)}</dd>
        </div>
        <div className="figure">
          <dt>Pays back in</dt>
          <dd>{c.paybackMonths === null ? 'never' : `${c.paybackMonths} months`}</dd>
        </div>
      </dl>
      {c.platformLicenceRange && (
        <p data-testid="consolidation-range">
          Sensitivity to the platform licence: from{' '}
          <Money cents={c.platformLicenceRange.lowCents} perYear /> to{' '}
          <Money cents={c.platformLicenceRange.highCents} perYear /> ({c.platformLicenceRange.basis}
          ), the return over 3 years is {roiText(c.platformLicenceRange.threeYearRoi[0])} to{' '}
          {roiText(c.platformLicenceRange.threeYearRoi[1])} and it pays back in{' '}
          {monthsText(c.platformLicenceRange.paybackMonths[0])} to{' '}
          {monthsText(c.platformLicenceRange.paybackMonths[1])}.
        </p>
      )}
      <p className="muted">
        Return: (3 × yearly saving − migration) ÷ migration. Change the migration cost, the platform
        licence or the number of tools after consolidation in the assumptions below.
      </p>
    </section>
  );
}

function WhatIfs({ tax }: { tax: Tax }) {
  return (
    <section className="panel" aria-labelledby="whatifs-title" id="what-ifs">
      <h2 id="whatifs-title">What if</h2>
      {tax.whatIfs.length === 0 ? (
        <p className="muted">
          No single change removes a tool from this stack: there is no overlap to retire.
        </p>
      ) : (
        <ul className="finding-list" data-testid="what-ifs">
          {tax.whatIfs.map((w) => (
            <li key={`${w.action}/${w.removesTool}`}>
              {w.action}: removes {toolName(tax, w.removesTool)} and saves{' '}
              <Money cents={w.savesCents} perYear />.
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function VmSection({ vms }: { vms: VmReadiness }) {
  const rows = sortVms(vms.vms);
  return (
    <section className="panel" aria-labelledby="vms-title" id="vms" data-testid="vm-section">
      <h2 id="vms-title">VM platform</h2>
      <p>
        Running VMs and containers side by side costs{' '}
        <Money cents={vms.dualPlatformCents} perYear /> <span className="muted">(</span>
        <code>{vms.dualPlatformFormula}</code>
        <span className="muted">)</span>.
      </p>
      <div className="table-wrap">
        <table className="table table--compact" data-testid="vm-table">
          <caption>{plural(rows.length, 'VM')}, riskiest to move first</caption>
          <thead>
            <tr>
              <th scope="col">VM</th>
              <th scope="col" className="num">
                Risk
              </th>
              <th scope="col" className="num">
                Dependencies
              </th>
              <th scope="col">Keeps its IP (L2)</th>
              <th scope="col">Teams involved (L2 / L3)</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => (
              <tr key={v.vm}>
                <th scope="row">
                  {v.vm}
                  <span className="finding-meta muted">
                    {v.source === 'inventory' ? 'from the inventory' : 'found in a cluster'}
                  </span>
                </th>
                <td className="num">{v.riskScore}</td>
                <td className="num">{v.dependencies}</td>
                <td>{v.keepsIpWithL2 ? 'yes' : 'no'}</td>
                <td>
                  {v.teamsL2.length} / {v.teamsL3.length}
                  <span className="finding-meta muted">{v.teamsL3.join(', ')}</span>
                </td>
                <td>{v.reasons.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Questions to settle before approving the migration</h3>
      <ol className="finding-list">
        {vms.approvalQuestions.map((q) => (
          <li key={q.question}>
            <strong>{q.question}</strong>
            <p>{q.answer}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Vms({ value }: { value: unknown }) {
  let vms: VmReadiness | null;
  try {
    vms = readVms(value);
  } catch (e) {
    return (
      <section className="panel" aria-labelledby="vms-title" id="vms">
        <h2 id="vms-title">VM platform</h2>
        <ErrorState
          title="The VM section could not be shown."
          message={e instanceof Error ? e.message : String(e)}
        />
      </section>
    );
  }
  return vms ? <VmSection vms={vms} /> : null;
}

export function TaxView({
  orgId,
  data,
  canEdit,
  onSaved,
  saved,
}: {
  orgId: string;
  data: CostResponse;
  canEdit: boolean;
  onSaved: (next: CostResponse) => void;
  /** The sentence after a save, announced. */
  saved: string | null;
}) {
  const tax = data.integrationTax;
  const savedRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);
  useHashTarget(true);
  return (
    <>
      {saved && (
        <p
          className="notice notice--ok"
          role="status"
          tabIndex={-1}
          ref={savedRef}
          data-testid="tax-recomputed"
        >
          {saved}
        </p>
      )}
      {!tax ? (
        <EmptyState title="No analysed scan yet, so no tax to compute." testId="tax-empty">
          <InstallScannerSteps />
        </EmptyState>
      ) : (
        <>
          <section className="panel" aria-labelledby="total-title">
            <h2 id="total-title">Integration tax per year</h2>
            <p className="headline">
              <span className="big-number" data-testid="tax-total">
                <Money cents={tax.totalCents} perYear />
              </span>
            </p>
            <p className="muted">
              {plural(tax.clusters, 'cluster')}, {plural(tax.tools.length, 'tool')},{' '}
              {plural(tax.seamCount, 'seam')} between them · model {tax.modelVersion}
              {data.computedAt ? ` · computed ${formatDateTime(data.computedAt)}` : ''}
            </p>
            <TaxStackedBar
              title="By component"
              components={tax.lines.map((l) => ({
                id: l.id,
                label: l.label,
                cents: l.cents,
                href: paths.taxLine(orgId, l.id),
              }))}
            />
            <p className="muted">Select a component for its formula, inputs and sources.</p>
          </section>
          <div className="grid-2">
            <section className="panel" aria-labelledby="per-tool-title">
              <h2 id="per-tool-title">By tool</h2>
              <MoneyBars
                title="Tax carried by each tool"
                bars={tax.perTool.map((t) => ({
                  id: t.tool,
                  label: toolName(tax, t.tool),
                  cents: t.cents,
                }))}
                testId="per-tool"
              />
            </section>
            <section className="panel" aria-labelledby="sensitivity-title">
              <h2 id="sensitivity-title">Sensitivity</h2>
              <Tornado
                title="Which assumptions move the total most (low to high)"
                baseCents={tax.totalCents}
                bars={tax.sensitivity.map((s) => ({
                  input: s.input,
                  label: assumptionLabel(s.input),
                  lowCents: s.lowCents,
                  highCents: s.highCents,
                  href: `#assumption-${s.input}`,
                }))}
              />
            </section>
          </div>
          <PerCluster tax={tax} />
          <Consolidation tax={tax} />
          <WhatIfs tax={tax} />
        </>
      )}
      <Vms value={data.vms} />
      <section className="panel" aria-labelledby="assumptions-title" id="assumptions">
        <h2 id="assumptions-title">Assumptions</h2>
        <AssumptionsEditor
          key={data.assumptions.version}
          assumptions={data.assumptions}
          tools={(tax?.tools ?? []).map((t) => ({ id: t.id, name: t.name }))}
          canEdit={canEdit}
          onSaved={onSaved}
        />
      </section>
    </>
  );
}

/** The integration tax: components, tools, sensitivity, consolidation, VMs and assumptions. */
export default function IntegrationTax() {
  const api = useApi();
  const org = useOrg();
  const canEdit = useCan('admin');
  const [resource, reload] = useResource((signal) => api.cost(org.id, signal), [api, org.id]);
  const [latest, setLatest] = useState<CostResponse | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <>
      <PageTitle title={`Integration tax · ${org.name}`}>Integration tax</PageTitle>
      <ResourceView resource={resource} what="the integration tax" onRetry={reload}>
        {(loaded) => {
          const data = latest ?? loaded;
          return (
            <TaxView
              orgId={org.id}
              data={data}
              canEdit={canEdit}
              saved={saved}
              onSaved={(next) => {
                setSaved(
                  recomputedSentence(
                    data.integrationTax?.totalCents ?? null,
                    next.integrationTax?.totalCents ?? null,
                  ),
                );
                setLatest(next);
              }}
            />
          );
        }}
      </ResourceView>
    </>
  );
}

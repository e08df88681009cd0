import { ASI_TITLES, type ReportData, type ReportPlan } from '@plumbline/contracts';
import type { ReactNode } from 'react';
import { MaturityRadar, TaxStackedBar, Tornado, TrendChart } from '../components/charts';
import { LevelBadge } from '../components/LevelBadge';
import { Money } from '../components/Money';
import { formatDate, formatDateTime, formatMoney } from '../format';
import {
  agentFacts,
  asiGaps,
  assumptionLabel,
  assumptionValue,
  authorisationAnswer,
  blockingCriteria,
  capitalise,
  categoryLabel,
  claimSentence,
  costEffect,
  firstEvidence,
  firstPlans,
  headline,
  hoursWords,
  isClusterScope,
  levelEffect,
  levelWords,
  scopeCluster,
  SEVERITY_RANK,
  shortAssumptionLabel,
  stepTitle,
  taxChange,
  verificationSentence,
  vmAssessment,
  weakestWords,
  type Headline,
} from './model';

/** Chart widths in CSS pixels: the printable width of A4 and Letter with 14 mm margins. */
const FULL_WIDTH = 660;
const RADAR_HEIGHT = 240;
/** Long lists stop here ("and N more"): the PDF is a summary, the app has the rest. */
const LIST_LIMIT = 12;
/** Plans and steps the executive summary shows (the roadmap page has every one). */
const FIRST_PLANS = 2;
const FIRST_STEPS = 6;

interface SectionProps {
  data: ReportData;
  h: Headline;
}

const SEVERITY_LABEL: Record<string, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** Why an action sits above a more severe one (from its ranking reason), or null. */
function rankedAbove(a: { why: string }): string | null {
  const i = a.why.indexOf('ranked above');
  return i < 0 ? null : a.why.slice(i);
}

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);
const months = (m: number | null) => (m === null ? 'never' : `${m.toFixed(1)} months`);

type TaxOf = NonNullable<ReportData['cost']['integrationTax']>;

/** Every symbol of the tax's formulas once, with its meaning and value (the first line's value). */
function taxSymbols(tax: TaxOf): { symbol: string; meaning: string; value: number }[] {
  const seen = new Map<string, { symbol: string; meaning: string; value: number }>();
  for (const l of tax.lines)
    for (const x of l.symbols) if (!seen.has(x.symbol)) seen.set(x.symbol, x);
  return [...seen.values()];
}

/** A symbol's value: whole numbers grouped, others with 4 significant digits. */
function symbolValue(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(4)));
}

/** A table's header row: column labels, `[label, 'num']` for right-aligned number columns. */
function Head({ cols }: { cols: readonly (string | readonly [string, 'num'])[] }) {
  return (
    <thead>
      <tr>
        {cols.map((c) =>
          typeof c === 'string' ? (
            <th scope="col" key={c}>
              {c}
            </th>
          ) : (
            <th scope="col" className="num" key={c[0]}>
              {c[0]}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

function More({ total, shown }: { total: number; shown: number }) {
  if (total <= shown) return null;
  return (
    <p className="more">
      and {total - shown} more (all of them are listed in Plumbline and its exports).
    </p>
  );
}

function Evidence({ items }: { items: readonly string[] }) {
  const shown = firstEvidence(items);
  if (!shown.length) return null;
  return (
    <ul className="evidence-refs">
      {shown.map((e, i) => (
        <li key={i}>{e}</li>
      ))}
    </ul>
  );
}

function Tile({ label, children, note }: { label: string; children: ReactNode; note: ReactNode }) {
  return (
    <div className="tile">
      <div className="tile__label">{label}</div>
      <div className="tile__value">{children}</div>
      <div className="tile__note">{note}</div>
    </div>
  );
}

// ---------------------------------------------------------------- 1. cover

function Cover({ data }: SectionProps) {
  const c = data.coverage;
  return (
    <section className="cover" aria-labelledby="cover-title">
      <p className="cover__brand">Plumbline</p>
      <h1 id="cover-title" className="cover__title">
        Kubernetes and AI-agent readiness
      </h1>
      <p className="cover__subtitle">Leadership report</p>
      <dl className="cover__facts">
        <dt>Organisation</dt>
        <dd data-testid="cover-org">{data.organization.name}</dd>
        <dt>Scope</dt>
        <dd>
          {isClusterScope(data)
            ? `One cluster: ${data.scope.label.replace(/^cluster /, '')}`
            : `The whole organisation (${data.scope.label})`}
        </dd>
        <dt>Date</dt>
        <dd>{formatDate(data.generatedAt)}</dd>
        <dt>Scanner coverage</dt>
        <dd>
          {c.analysed} of {c.clusters} cluster{c.clusters === 1 ? '' : 's'} analysed
          {c.newestScanAt
            ? `; scans from ${formatDate(c.oldestScanAt ?? c.newestScanAt)} to ${formatDate(c.newestScanAt)}`
            : '; no scan yet'}
          ; {c.evidenceUploads} evidence upload{c.evidenceUploads === 1 ? '' : 's'}
        </dd>
        <dt>Methodology</dt>
        <dd>version {data.methodologyVersion}</dd>
      </dl>
      <nav className="cover__contents" aria-label="Contents">
        <p>In this report</p>
        <ol>
          <li>Executive summary: where you stand, and what to do first</li>
          <li>Operational maturity: six pillars, and what blocks the next level</li>
          <li>AI agent accountability: who authorised an agent’s action</li>
          <li>Integration tax: what the do-it-yourself stack really costs</li>
          <li>Trend: what changed since the previous report</li>
          <li>Appendix: methodology, detected stack, glossary</li>
        </ol>
      </nav>
      <p className="cover__note">
        Plain language first, evidence after: every number in this report comes from the scans and
        uploads listed, and each section ends with the evidence behind it.
      </p>
    </section>
  );
}

// ---------------------------------------------------------------- 2. executive summary

function ExecutiveSummary({ data, h }: SectionProps) {
  const cluster = scopeCluster(data);
  const subject = cluster ? `Cluster ${cluster.cluster.name}` : data.organization.name;
  const acc = h.accountability;
  const claims = data.agents.claimedVsEvidenced;
  const answered = claims.some((c) => c.claimed !== null);
  const prev = data.sincePrevious;
  const first = firstPlans(data, h);
  return (
    <section className="page exec" aria-labelledby="exec-title" data-testid="exec-summary">
      <h1 id="exec-title">Executive summary</h1>
      <p className="lead">
        {subject} runs Kubernetes at operational maturity {levelWords(h.maturity.level)},{' '}
        {weakestWords(h.maturity.weakest)}.{' '}
        {acc.assessed
          ? `Its ${acc.agents} AI agent${acc.agents === 1 ? ' is' : 's are'} accountable at ${levelWords(acc.level)} (${acc.levelName ?? 'unknown'}), ${weakestWords(acc.weakest)}.`
          : 'No AI agents were found in the scanned clusters.'}{' '}
        {h.tax.totalCents !== null
          ? `The do-it-yourself networking and security stack costs an estimated ${formatMoney(h.tax.totalCents)} a year in integration tax${h.tax.hides ? `; ${h.tax.hides}` : ''}.`
          : 'The integration tax needs an analysed scan.'}
      </p>
      <div className="tiles">
        <Tile
          label="Operational maturity"
          note={<>Weakest: {h.maturity.weakest.map((p) => p.name).join(', ') || '—'}</>}
        >
          <LevelBadge level={h.maturity.level} />
        </Tile>
        <Tile
          label="AI agent accountability"
          note={
            acc.assessed ? (
              <>Weakest: {acc.weakest.map((p) => p.name).join(', ') || '—'}</>
            ) : (
              'No AI agents found'
            )
          }
        >
          {acc.assessed ? (
            <>
              <LevelBadge level={acc.level} /> <span className="tile__name">{acc.levelName}</span>
            </>
          ) : (
            <span className="tile__none">Not applicable</span>
          )}
        </Tile>
        <Tile
          label="Integration tax per year"
          note={h.tax.hides ? `Where it hides: ${h.tax.hides}` : '—'}
        >
          {h.tax.totalCents === null ? '—' : <Money cents={h.tax.totalCents} />}
        </Tile>
      </div>

      <h2>What to do first</h2>
      {first.length ? (
        <>
          {first.slice(0, FIRST_PLANS).map((p) => (
            <PlanFirst key={p.planId} plan={p} />
          ))}
          {first.length > FIRST_PLANS && (
            <p className="muted">
              The roadmap page has the plans of {first.length - FIRST_PLANS} more cluster
              {first.length - FIRST_PLANS === 1 ? '' : 's'} at this level.
            </p>
          )}
        </>
      ) : (
        <RankedActions data={data} />
      )}

      <h2>Claimed vs evidenced</h2>
      <p>{claimSentence(claims)}</p>
      {answered && (
        <table className="table claims">
          <Head
            cols={[
              'Accountability pillar',
              ['Claimed', 'num'],
              ['Evidenced', 'num'],
              ['Gap', 'num'],
            ]}
          />
          <tbody>
            {claims.map((c) => (
              <tr key={c.pillar}>
                <th scope="row">{c.name}</th>
                <td className="num">{c.claimed ?? '—'}</td>
                <td className="num">{c.evidenced ?? '—'}</td>
                <td className="num">{c.gap === null ? '—' : c.gap > 0 ? `+${c.gap}` : c.gap}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="exec__since">
        {prev
          ? `Since the previous report (${formatDate(prev.previousAt)}): operational maturity ${prev.maturityLevel.from ?? '—'} → ${prev.maturityLevel.to ?? '—'}, accountability ${prev.accountabilityLevel.from ?? '—'} → ${prev.accountabilityLevel.to ?? '—'}, integration tax ${prev.taxCents.from === null ? '—' : formatMoney(prev.taxCents.from)} → ${prev.taxCents.to === null ? '—' : formatMoney(prev.taxCents.to)}.`
          : 'This is the first report for this scope; the next one will show what changed.'}
      </p>
    </section>
  );
}

/** The ranked actions (when no plan to the next level exists: no analysed scan with workloads). */
function RankedActions({ data }: { data: ReportData }) {
  return (
    <>
      {data.topActions.length > 0 && (
        <p className="muted">
          Ranked by the effect on the organisation’s level first, then by severity.
        </p>
      )}
      {data.topActions.length ? (
        <table className="table actions" data-testid="exec-actions">
          <Head cols={['#', 'Action', 'Effect on the level', 'Effect on the cost', 'Severity']} />
          <tbody>
            {data.topActions.map((a) => (
              <tr key={a.id}>
                <td className="num">{a.rank}</td>
                <th scope="row">
                  {a.title}
                  <span className="actions__where">
                    {a.clusters.length ? ` (${a.clusters.join(', ')})` : ''}
                  </span>
                </th>
                <td>
                  {levelEffect(a)}
                  {rankedAbove(a) && <span className="muted"> ({rankedAbove(a)})</span>}
                </td>
                <td>{costEffect(a)}</td>
                <td>{SEVERITY_LABEL[a.severity]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No actions: nothing the scans found needs fixing first.</p>
      )}
    </>
  );
}

/** One cluster's plan to its next level, as the executive summary says it. */
function PlanFirst({ plan: p }: { plan: ReportPlan }) {
  const body = p.plan;
  if (!body?.reachable)
    return (
      <p data-testid="plan-first">
        <strong>{p.clusterName}</strong>:{' '}
        {capitalise(p.reason ?? `level ${p.target.level} is out of reach from this scan`)}.
      </p>
    );
  const shown = body.steps.slice(0, FIRST_STEPS);
  return (
    <div className="plan-first" data-testid="plan-first">
      <p>
        To take <strong>{p.clusterName}</strong> from level {body.from.level} to level{' '}
        {body.to.level}
        {body.accepted.length ? ' (with accepted risks)' : ''}: {body.steps.length} step
        {body.steps.length === 1 ? '' : 's'}, {hoursWords(body.hours)} of engineering work;
        integration tax {formatMoney(body.from.taxCents)} → {formatMoney(body.to.taxCents)} a year.
      </p>
      <table className="table plan-steps">
        <Head
          cols={[
            '#',
            'Step',
            ['Effort', 'num'],
            ['Level after', 'num'],
            ['Tax change a year', 'num'],
          ]}
        />
        <tbody>
          {shown.map((s, i) => (
            <tr key={s.id}>
              <td className="num">{i + 1}</td>
              <th scope="row">
                {s.title}
                <span className="muted">
                  {s.kind === 'generated' ? ' (manifests provided)' : ' (manual)'}
                </span>
              </th>
              <td className="num">{hoursWords(s.hours)}</td>
              <td className="num">{s.after.level}</td>
              <td className="num">{taxChange(s.taxDeltaCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {body.steps.length > shown.length && (
        <p className="more">
          and {body.steps.length - shown.length} more step
          {body.steps.length - shown.length === 1 ? '' : 's'} (the roadmap page has them all).
        </p>
      )}
      <p className="muted">{verificationSentence(p)}</p>
    </div>
  );
}

// ---------------------------------------------------------------- 2b. roadmap

const PHASE_LABEL = (d: 30 | 60 | 90 | null) => (d === null ? 'After 90 days' : `By day ${d}`);

/** Every plan to the next level: its 30/60/90-day phases and its steps with what each meets. */
function RoadmapSection({ data }: SectionProps) {
  if (!data.plans.length && !data.riskAcceptances.length) return null;
  const first = data.plans.find((p) => p.plan?.reachable)?.plan;
  return (
    <section className="page" aria-labelledby="roadmap-title" data-testid="roadmap">
      <h1 id="roadmap-title">Roadmap to the next level</h1>
      <p className="lead">
        For each cluster, the smallest set of changes that reaches its next operational maturity
        level, computed from its newest scan. Effort is in engineering hours, from Plumbline’s
        effort table (fixed hours per change plus hours per namespace or workload, editable per
        organisation).
        {first?.reachable
          ? ` Steps are placed in 30-day phases at ${first.hoursPerPhase} hours of the team’s time per phase.`
          : ''}{' '}
        Steps marked “manifests provided” come with generated Kubernetes objects, checked by
        re-running the analysis on the scan with them applied.
      </p>
      {data.plans.map((p) => (
        <RoadmapPlan key={p.planId} plan={p} risks={data.riskAcceptances} />
      ))}
      <AcceptedRisks risks={data.riskAcceptances} />
    </section>
  );
}

/** Accepted risks of the scope: who owns them and until when; expired ones apply again. */
function AcceptedRisks({ risks }: { risks: ReportData['riskAcceptances'] }) {
  if (!risks.length) return null;
  const expired = risks.filter((r) => r.state === 'expired').length;
  return (
    <div data-testid="accepted-risks">
      <h2>Accepted risks</h2>
      <p>
        Risks the organisation accepted, with an owner and an end date: plans leave them out and
        count them as met, so levels reached with them are levels with accepted risks.
        {expired
          ? ` ${expired} acceptance${expired === 1 ? ' has' : 's have'} expired: ${expired === 1 ? 'it applies' : 'they apply'} again and ${expired === 1 ? 'needs' : 'need'} a decision.`
          : ''}
      </p>
      <table className="table table--compact">
        <Head cols={['Accepted', 'Where', 'Owner', 'Until', 'Why']} />
        <tbody>
          {risks.slice(0, LIST_LIMIT).map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.title}</th>
              <td>{r.clusterName ?? 'every cluster'}</td>
              <td>{r.owner}</td>
              <td>
                {r.state === 'expired'
                  ? `expired on ${formatDate(r.expiresAt)}`
                  : formatDate(r.expiresAt)}
              </td>
              <td>{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <More total={risks.length} shown={Math.min(risks.length, LIST_LIMIT)} />
    </div>
  );
}

function RoadmapPlan({
  plan: p,
  risks,
}: {
  plan: ReportPlan;
  risks: ReportData['riskAcceptances'];
}) {
  const body = p.plan;
  if (!body?.reachable)
    return (
      <div className="roadmap-plan" data-testid="roadmap-plan">
        <h2>
          {p.clusterName}: level {p.target.level} is out of reach
        </h2>
        <p>{capitalise(p.reason ?? 'the scan does not show what the next level needs')}.</p>
        {body && !body.reachable && body.blockers.length > 0 && (
          <ul>
            {body.blockers.slice(0, LIST_LIMIT).map((b) => (
              <li key={b.id}>{b.reason}</li>
            ))}
          </ul>
        )}
      </div>
    );
  const phases = body.roadmap.filter((ph) => ph.steps.length > 0);
  const steps = body.steps.slice(0, LIST_LIMIT);
  return (
    <div className="roadmap-plan" data-testid="roadmap-plan">
      <h2>
        {p.clusterName}: level {body.from.level} → {body.to.level}
      </h2>
      <p>
        {body.steps.length} step{body.steps.length === 1 ? '' : 's'}, {hoursWords(body.hours)};
        integration tax {formatMoney(body.from.taxCents)} → {formatMoney(body.to.taxCents)} a year.
      </p>
      <table className="table table--compact roadmap-phases">
        <Head
          cols={[
            'When',
            'Steps',
            ['Effort', 'num'],
            ['Level after', 'num'],
            ['Tax a year after', 'num'],
          ]}
        />
        <tbody>
          {phases.map((ph) => (
            <tr key={String(ph.byDay)}>
              <th scope="row">{PHASE_LABEL(ph.byDay)}</th>
              <td>{ph.steps.map((id) => stepTitle(p, id)).join('; ')}</td>
              <td className="num">{hoursWords(ph.hours)}</td>
              <td className="num">{ph.after.level}</td>
              <td className="num">{formatMoney(ph.after.taxCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ol className="roadmap-steps">
        {steps.map((s) => (
          <li key={s.id}>
            <strong>{s.title}</strong> ({s.kind === 'generated' ? 'manifests provided' : 'manual'},{' '}
            {hoursWords(s.hours)}). {s.remediation}
            {s.confirms.length > 0 && (
              <span className="muted">
                {' '}
                The scan could not tell whether this is already done; if it is, this step is only a
                check.
              </span>
            )}
          </li>
        ))}
      </ol>
      <More total={body.steps.length} shown={steps.length} />
      {body.accepted.length > 0 && (
        <p data-testid="plan-accepted">
          Levels counted with {body.accepted.length} accepted risk
          {body.accepted.length === 1 ? '' : 's'} as met (out of this plan):{' '}
          {body.accepted
            .map((id) => {
              const r = risks.find((x) => x.targetId === id && x.state === 'active');
              return r ? `${r.title} (${r.owner}, until ${formatDate(r.expiresAt)})` : id;
            })
            .join('; ')}
          .
        </p>
      )}
      <p className="muted">{verificationSentence(p)}</p>
    </div>
  );
}

// ---------------------------------------------------------------- 3. operational maturity

function MaturitySection({ data, h }: SectionProps) {
  const cluster = scopeCluster(data);
  const blocking = blockingCriteria(data, h.maturity.pillars);
  return (
    <section className="page" aria-labelledby="maturity-title" data-testid="maturity">
      <h1 id="maturity-title">Operational maturity</h1>
      <div>
        <div>
          <p className="lead">
            {cluster ? `Cluster ${cluster.cluster.name}` : 'The organisation'} is at{' '}
            {levelWords(h.maturity.level)}, {weakestWords(h.maturity.weakest)}.
          </p>
          <p>
            A level is earned only when every criterion of that level and the ones below it is met,
            and the overall level is the level of the weakest pillar: improving a strong pillar does
            not move it.{' '}
            {cluster?.maturity
              ? `In CNCF Cloud Native Maturity Model terms this cluster is at the “${cluster.maturity.cncfStage}” stage.`
              : `It is read from ${data.overview.maturity?.basis ?? 'the analysed clusters'}.`}
          </p>
          <p>
            The pages that follow list, pillar by pillar, what blocks the next level, with the
            evidence.
          </p>
        </div>
      </div>
      <MaturityRadar
        title="Six pillars, levels 0–4"
        pillars={h.maturity.pillars}
        width={FULL_WIDTH}
        height={RADAR_HEIGHT}
      />
      <h2>What blocks the next level</h2>
      {blocking.map((p) => (
        <div key={p.pillarId} className="pillar">
          <h3>
            {p.pillarName} <LevelBadge level={p.level} short />
          </h3>
          {p.clusters.map((c) => (
            <div key={c.cluster} className="pillar__cluster">
              <p className="pillar__where">
                <strong>{c.cluster}</strong>: level {c.level}
                {c.nextLevel === null
                  ? ', the top level.'
                  : c.criteria.length
                    ? `; level ${c.nextLevel} needs:`
                    : `; level ${c.nextLevel} is held back by a cap.`}
                {c.cappedBy ? ` Capped by: ${c.cappedBy}.` : ''}
              </p>
              {c.criteria.length > 0 && (
                <ul className="criteria">
                  {c.criteria.map((k) => (
                    <li key={k.id}>
                      <span className={`status status--${k.status}`}>
                        {k.status === 'unknown' ? 'not known' : 'not met'}
                      </span>{' '}
                      <strong>{k.title}</strong>. {k.reason}
                      <Evidence items={k.evidence} />
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ))}
          {!p.clusters.length && <p className="muted">No analysed cluster.</p>}
        </div>
      ))}
    </section>
  );
}

// ---------------------------------------------------------------- 4. AI agent accountability

function AgentsSection({ data, h }: SectionProps) {
  const acc = h.accountability;
  const facts = agentFacts(data);
  const gaps = asiGaps(data);
  const provenance = data.agents.pillars.find((p) => p.pillar === 'authorization-provenance');
  const summary = data.agents.summary;
  return (
    <section className="page" aria-labelledby="agents-title" data-testid="agents">
      <h1 id="agents-title">AI agent accountability</h1>
      {!acc.assessed ? (
        <>
          <p className="lead">
            No AI agents, MCP servers or model servers were found in the scanned clusters, so there
            is no agent action to account for yet.
          </p>
          <p>
            When agents arrive, Plumbline scores them on five pillars (traceability, authorization
            provenance, identity and ownership, policy at scale, human oversight) and names the
            shadow agents, shared keys and agents without an owner.
          </p>
        </>
      ) : (
        <>
          <div>
            <div>
              <p className="lead">
                Accountability is at {levelWords(acc.level)} ({acc.levelName ?? 'unknown'}),{' '}
                {weakestWords(acc.weakest)}.
              </p>
              <p>
                <strong>Who authorised that agent’s action?</strong>{' '}
                {authorisationAnswer(provenance?.level ?? null)}
              </p>
              <div className="tiles tiles--four">
                <Tile label="AI agents" note={`${summary.mcpServers} MCP servers`}>
                  {summary.agents}
                </Tile>
                <Tile label="Shadow agents" note="not registered anywhere">
                  {facts.shadow.length}
                </Tile>
                <Tile label="Shared keys" note="one key, several agents">
                  {facts.shared.length}
                </Tile>
                <Tile label="No owner" note="agents nobody answers for">
                  {facts.unowned.length}
                </Tile>
              </div>
            </div>
          </div>
          <MaturityRadar
            title="Five accountability pillars, levels 0–4"
            pillars={acc.pillars}
            width={FULL_WIDTH}
            height={RADAR_HEIGHT}
            color="#cc79a7"
          />

          <h2>Shadow agents</h2>
          {facts.shadow.length ? (
            <>
              <p>
                Agents that no agent platform, registry or annotation declares: nobody approved
                them.
              </p>
              <table className="table">
                <Head cols={['Agent', 'Cluster', 'Framework', 'How it was recognised']} />
                <tbody>
                  {facts.shadow.slice(0, LIST_LIMIT).map((a) => (
                    <tr key={`${a.cluster}/${a.ref}`}>
                      <th scope="row">{a.ref}</th>
                      <td>{a.cluster}</td>
                      <td>{a.framework ?? '—'}</td>
                      <td>{a.signals.slice(0, 2).join('; ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <More total={facts.shadow.length} shown={LIST_LIMIT} />
            </>
          ) : (
            <p>None: every agent found is registered.</p>
          )}

          <h2>Shared keys</h2>
          {facts.shared.length ? (
            <>
              <p>
                One credential used by several agents: an action cannot be traced to one of them.
              </p>
              <table className="table">
                <Head cols={['Credential', 'Used by']} />
                <tbody>
                  {facts.shared.slice(0, LIST_LIMIT).map((s) => (
                    <tr key={s.credential}>
                      <th scope="row">{s.credential}</th>
                      <td>{s.holders.join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <More total={facts.shared.length} shown={LIST_LIMIT} />
            </>
          ) : (
            <p>None: no credential is shared between agents.</p>
          )}

          <h2>Agents without owners</h2>
          {facts.unowned.length ? (
            <table className="table">
              <Head cols={['Agent', 'Cluster', 'Service account']} />
              <tbody>
                {facts.unowned.slice(0, LIST_LIMIT).map((a) => (
                  <tr key={`${a.cluster}/${a.ref}`}>
                    <th scope="row">{a.ref}</th>
                    <td>{a.cluster}</td>
                    <td>{a.serviceAccount ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>None: every agent names an accountable owner.</p>
          )}
          <More total={facts.unowned.length} shown={LIST_LIMIT} />
        </>
      )}

      {gaps.length > 0 && (
        <>
          <h2>Gaps by OWASP Agentic Security Initiative risk</h2>
          <table className="table asi" data-testid="asi-gaps">
            <Head cols={['Risk', 'Gap', 'Pillar', 'Where']} />
            <tbody>
              {gaps.flatMap((g) =>
                [...g.gaps]
                  .sort(
                    (a, b) => (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9),
                  )
                  .map((gap, i) => (
                    <tr key={`${g.asi}-${gap.title}`}>
                      {i === 0 ? (
                        <th scope="rowgroup" rowSpan={g.gaps.length}>
                          {g.asi} {g.asiTitle}
                        </th>
                      ) : null}
                      <td>
                        {gap.title} <span className="muted">({gap.severity})</span>
                      </td>
                      <td>{gap.pillarName}</td>
                      <td>{gap.clusters.join(', ')}</td>
                    </tr>
                  )),
              )}
            </tbody>
          </table>
        </>
      )}

      {data.agents.probes.length > 0 && (
        <>
          <h2>Probe results</h2>
          <p>
            Scenarios run against a live agent with <code>plumbline-probe</code>: a “pass” means the
            risky action was blocked (or held for approval) with a decision that names its policy.
          </p>
          {data.agents.probes.map((run) => (
            <div key={run.evidenceId} className="probe">
              <p className="pillar__where">
                <strong>{run.filename}</strong> ({formatDate(run.uploadedAt)}): {run.passed} passed,{' '}
                {run.failed} failed, {run.inconclusive} inconclusive.
              </p>
              <table className="table">
                <Head cols={['Scenario', 'Risk', 'What happened', 'Result']} />
                <tbody>
                  {run.scenarios.slice(0, LIST_LIMIT).map((s) => (
                    <tr key={s.id}>
                      <th scope="row">{s.title}</th>
                      <td>
                        {s.asi} {ASI_TITLES[s.asi]}
                      </td>
                      <td>{s.actualOutcome}</td>
                      <td className={`result result--${s.result}`}>{s.result}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <More total={run.scenarios.length} shown={LIST_LIMIT} />
            </div>
          ))}
        </>
      )}

      {data.agents.claimedVsEvidenced.some((c) => c.claimed !== null) && (
        <>
          <h2>The five questions: claimed vs evidenced</h2>
          <table className="table">
            <Head cols={['Question', ['Claimed', 'num'], ['Evidenced', 'num']]} />
            <tbody>
              {data.agents.claimedVsEvidenced.map((c) => (
                <tr key={c.pillar}>
                  <th scope="row">
                    {c.name}: <span className="question">{c.question}</span>
                  </th>
                  <td className="num">{c.claimed ?? '—'}</td>
                  <td className="num">{c.evidenced ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- 5. integration tax

function TaxSection({ data, h }: SectionProps) {
  const tax = data.cost.integrationTax;
  const vms = vmAssessment(data);
  const cluster = scopeCluster(data);
  if (!tax || h.tax.totalCents === null) {
    return (
      <section className="page" aria-labelledby="tax-title" data-testid="tax">
        <h1 id="tax-title">Integration tax</h1>
        <p className="lead">The integration tax is computed once a cluster has been analysed.</p>
      </section>
    );
  }
  const tools = new Map(tax.tools.map((t) => [t.id, t]));
  const perTool = [...tax.perTool].sort((a, b) => b.cents - a.cents);
  const c = tax.consolidation;
  return (
    <section className="page" aria-labelledby="tax-title" data-testid="tax">
      <h1 id="tax-title">Integration tax</h1>
      <p className="lead">
        Running the do-it-yourself stack costs an estimated {formatMoney(h.tax.totalCents)} a year
        beyond what the tools themselves cost to license
        {h.tax.hides ? `; ${h.tax.hides}` : ''}. The estimate counts {tax.tools.length} tools and{' '}
        {tax.seamCount} seams between them across {tax.clusters} cluster
        {tax.clusters === 1 ? '' : 's'}; every input is listed below with its source.
      </p>
      {cluster && (
        <p className="muted">
          The total above is this cluster’s share; the tools, assumptions, sensitivity and
          consolidation below are for the whole organisation ({formatMoney(tax.totalCents)} a year).
        </p>
      )}
      <TaxStackedBar
        title="Integration tax by component"
        components={h.tax.components}
        width={FULL_WIDTH}
        height={80}
      />

      <h2>Per tool</h2>
      <table className="table">
        <Head cols={['Tool', 'Layer', ['Clusters', 'num'], ['Tax per year', 'num']]} />
        <tbody>
          {perTool.map((t) => (
            <tr key={t.tool}>
              <th scope="row">{tools.get(t.tool)?.name ?? t.tool}</th>
              <td>{tools.get(t.tool)?.layer ?? '—'}</td>
              <td className="num">{tools.get(t.tool)?.clusters ?? '—'}</td>
              <td className="num">
                <Money cents={t.cents} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>How each component is computed</h2>
      <table className="table">
        <Head cols={['Component', 'Formula', ['Per year', 'num']]} />
        <tbody>
          {tax.lines.map((l) => (
            <tr key={l.id}>
              <th scope="row">{l.label}</th>
              <td>
                <code>{l.formula}</code>
                {l.note ? <span className="muted"> {l.note}</span> : null}
                {l.explanation.length > 0 && (
                  <span className="line-explanation">
                    {l.explanation.map((e) => (
                      <span key={e} className="muted">
                        {' '}
                        {e}
                      </span>
                    ))}
                  </span>
                )}
              </td>
              <td className="num">
                <Money cents={l.cents} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>What the symbols stand for</h2>
      <table className="table" data-testid="tax-symbols">
        <Head cols={['Symbol', 'Stands for', ['Value', 'num']]} />
        <tbody>
          {taxSymbols(tax).map((x) => (
            <tr key={x.symbol}>
              <th scope="row">
                <code>{x.symbol}</code>
              </th>
              <td>{x.meaning}</td>
              <td className="num">{symbolValue(x.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {tax.perCluster.length > 1 && (
        <>
          <h2>What each cluster adds</h2>
          <table className="table" data-testid="tax-per-cluster">
            <Head cols={['Cluster', ['Adds per year', 'num'], 'Why']} />
            <tbody>
              {tax.perCluster.map((pc) => (
                <tr key={pc.cluster}>
                  <th scope="row">{pc.cluster}</th>
                  <td className="num">
                    <Money cents={pc.marginalCents} />
                  </td>
                  <td>{pc.why.replace(/^[^:]*: /, '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2>Assumptions used, with their sources</h2>
      <table className="table assumptions">
        <Head cols={['Assumption', ['Value', 'num'], 'Source']} />
        <tbody>
          {data.cost.assumptions.defaults.map((a) => (
            <tr key={a.key}>
              <th scope="row">{assumptionLabel(a.key)}</th>
              <td className="num">
                {assumptionValue(
                  a.key,
                  (data.cost.assumptions.effective as Record<string, unknown>)[a.key],
                )}
              </td>
              <td>
                {a.overridden
                  ? 'Set by your organisation (default: ' + assumptionValue(a.key, a.default) + ')'
                  : a.source}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Sensitivity</h2>
      <p>
        How far the total moves when one assumption goes to its low or high value, the others held:
        the assumptions at the top matter most.
      </p>
      <Tornado
        title="What moves the total"
        baseCents={tax.totalCents}
        bars={tax.sensitivity.map((s) => ({
          input: s.input,
          label: shortAssumptionLabel(s.input),
          lowCents: s.lowCents,
          highCents: s.highCents,
        }))}
        limit={6}
        width={FULL_WIDTH}
      />

      <h2>Consolidation</h2>
      <p className="lead">
        Consolidating onto {c.consolidatedTools} platform{c.consolidatedTools === 1 ? '' : 's'}{' '}
        would cut the yearly tax to {formatMoney(c.consolidatedTaxCents)} and save{' '}
        {formatMoney(c.annualSavingsCents)} a year for a one-off migration of{' '}
        {formatMoney(c.migrationCostCents)}:{' '}
        {c.paybackMonths === null
          ? 'it does not pay back'
          : `payback in ${c.paybackMonths.toFixed(1)} months`}
        {c.threeYearRoi === null
          ? ''
          : `, a three-year return of ${Math.round(c.threeYearRoi * 100)}%`}
        .
      </p>
      <table className="table consolidation">
        <tbody>
          <tr>
            <th scope="row">Tax today</th>
            <td className="num">
              <Money cents={tax.totalCents} perYear />
            </td>
          </tr>
          <tr>
            <th scope="row">Tax after consolidation</th>
            <td className="num">
              <Money cents={c.consolidatedTaxCents} perYear />
            </td>
          </tr>
          <tr>
            <th scope="row">Platform licence</th>
            <td className="num">
              <Money cents={c.platformLicenceCents} perYear />
            </td>
          </tr>
          <tr>
            <th scope="row">Saving</th>
            <td className="num">
              <Money cents={c.annualSavingsCents} perYear />
            </td>
          </tr>
          <tr>
            <th scope="row">Migration (one-off)</th>
            <td className="num">
              <Money cents={c.migrationCostCents} />
            </td>
          </tr>
          <tr>
            <th scope="row">Payback</th>
            <td className="num">
              {c.paybackMonths === null ? 'never' : `${c.paybackMonths.toFixed(1)} months`}
            </td>
          </tr>
          <tr>
            <th scope="row">Three-year ROI</th>
            <td className="num">
              {c.threeYearRoi === null ? '—' : `${Math.round(c.threeYearRoi * 100)}%`}
            </td>
          </tr>
        </tbody>
      </table>
      {c.platformLicenceBasis && (
        <p className="muted" data-testid="platform-licence-basis">
          Platform licence: {c.platformLicenceBasis}.
        </p>
      )}
      {c.platformLicenceRange && (
        <p data-testid="platform-licence-range">
          Sensitivity to the platform licence: from {formatMoney(c.platformLicenceRange.lowCents)}{' '}
          to {formatMoney(c.platformLicenceRange.highCents)} a year ({c.platformLicenceRange.basis}
          ), the three-year return is {pct(c.platformLicenceRange.threeYearRoi[0])} to{' '}
          {pct(c.platformLicenceRange.threeYearRoi[1])} and the payback{' '}
          {months(c.platformLicenceRange.paybackMonths[0])} to{' '}
          {months(c.platformLicenceRange.paybackMonths[1])}.
        </p>
      )}

      {vms && (
        <div data-testid="vm-consolidation">
          <h2>VM consolidation</h2>
          <p className="lead">
            {vms.vms.length} virtual machine{vms.vms.length === 1 ? '' : 's'} run beside Kubernetes.
            Keeping two platforms costs {formatMoney(vms.dualPlatformCents)} a year (
            <code>{vms.dualPlatformFormula}</code>). Moving a VM onto Kubernetes while it keeps its
            IP address (layer 2) touches only the platform team; a new address (layer 3) pulls in
            every team whose firewall rules, DNS or configuration name the old one.
          </p>
          <table className="table">
            <Head
              cols={['VM', 'Source', ['Risk', 'num'], 'Teams involved (same IP / new IP)', 'Why']}
            />
            <tbody>
              {[...vms.vms]
                .sort((a, b) => b.riskScore - a.riskScore)
                .slice(0, LIST_LIMIT)
                .map((v) => (
                  <tr key={`${v.source}/${v.vm}`}>
                    <th scope="row">{v.vm}</th>
                    <td>{v.source === 'inventory' ? 'inventory' : 'KubeVirt'}</td>
                    <td className="num">{v.riskScore}</td>
                    <td>
                      {v.teamsL2.length} / {v.teamsL3.length} ({v.teamsL3.join(', ')})
                    </td>
                    <td>{v.reasons.join('; ')}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <More total={vms.vms.length} shown={LIST_LIMIT} />
          {vms.approvalQuestions.length > 0 && (
            <>
              <h3>Questions the migration must answer</h3>
              <ul className="plain-list">
                {vms.approvalQuestions.map((q) => (
                  <li key={q.question}>
                    <strong>{q.question}</strong> {q.answer}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- 6. trend

function TrendSection({ data }: SectionProps) {
  const trends = data.overview.trends;
  const prev = data.sincePrevious;
  const changed = prev?.clusters ?? [];
  return (
    <section className="page" aria-labelledby="trend-title" data-testid="trend">
      <h1 id="trend-title">Trend</h1>
      <p className="lead">
        {prev
          ? `Since the previous report of ${formatDate(prev.previousAt)}, ${changed.length} cluster${changed.length === 1 ? ' was' : 's were'} scanned again.`
          : 'This is the first report for this scope: the next one will list the findings that are new, fixed or back since this one.'}
      </p>
      <TrendChart
        title="Maturity score and integration tax over time"
        series={[
          { id: 'maturityScore', label: 'Maturity score (0–100)', kind: 'score' },
          { id: 'taxCents', label: 'Integration tax per year', kind: 'money' },
        ]}
        points={trends.map((t) => ({
          at: t.at,
          values: { maturityScore: t.maturityScore, taxCents: t.taxCents },
          changes: t.changes,
        }))}
        width={FULL_WIDTH}
        height={220}
      />
      {trends.length > 0 && (
        <table className="table">
          <Head
            cols={[
              'Date',
              ['Maturity level', 'num'],
              ['Maturity score', 'num'],
              ['Accountability level', 'num'],
              ['Integration tax', 'num'],
              'Method changed',
            ]}
          />
          <tbody>
            {trends.slice(-LIST_LIMIT).map((t) => (
              <tr key={t.at}>
                <th scope="row">{formatDateTime(t.at)}</th>
                <td className="num">{t.maturityLevel ?? '—'}</td>
                <td className="num">
                  {t.maturityScore === null ? '—' : Math.round(t.maturityScore)}
                </td>
                <td className="num">{t.accountabilityLevel ?? '—'}</td>
                <td className="num">{t.taxCents === null ? '—' : formatMoney(t.taxCents)}</td>
                <td>{t.changes.length ? t.changes.join('; ') : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {prev && (
        <>
          <h2>Since the previous report</h2>
          <table className="table">
            <tbody>
              <tr>
                <th scope="row">Operational maturity</th>
                <td>
                  level {prev.maturityLevel.from ?? '—'} → {prev.maturityLevel.to ?? '—'}
                </td>
              </tr>
              <tr>
                <th scope="row">AI agent accountability</th>
                <td>
                  level {prev.accountabilityLevel.from ?? '—'} →{' '}
                  {prev.accountabilityLevel.to ?? '—'}
                </td>
              </tr>
              <tr>
                <th scope="row">Integration tax</th>
                <td>
                  {prev.taxCents.from === null ? '—' : formatMoney(prev.taxCents.from)} →{' '}
                  {prev.taxCents.to === null ? '—' : formatMoney(prev.taxCents.to)} a year
                </td>
              </tr>
            </tbody>
          </table>
          {changed.map(({ cluster, diff }) => (
            <div key={cluster} className="diff">
              <h3>
                {cluster}: {diff.new.length} new, {diff.fixed.length} fixed, {diff.regressed.length}{' '}
                regressed, {diff.unchanged} unchanged
              </h3>
              {(
                [
                  ['New', diff.new.map((f) => f.title)],
                  ['Fixed', diff.fixed.map((f) => f.title)],
                  ['Regressed', diff.regressed.map((f) => `${f.title} (${f.reason})`)],
                ] as const
              ).map(([label, titles]) =>
                titles.length ? (
                  <div key={label} className="diff__group">
                    <p className="pillar__where">
                      <strong>{label}</strong>
                    </p>
                    <ul className="plain-list">
                      {titles.slice(0, LIST_LIMIT).map((t, i) => (
                        <li key={i}>{t}</li>
                      ))}
                    </ul>
                    <More total={titles.length} shown={LIST_LIMIT} />
                  </div>
                ) : null,
              )}
            </div>
          ))}
          {!changed.length && <p>No cluster has been scanned again since the previous report.</p>}
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- 7. appendix

const GLOSSARY: [string, string][] = [
  [
    'Operational maturity',
    'How well the clusters are run, on six pillars scored 0 to 4; the overall level is the weakest pillar’s.',
  ],
  [
    'Pillar',
    'One area of practice (for example workload isolation or observability) with criteria for each level.',
  ],
  [
    'Criterion',
    'One checkable condition, decided from the scan: met, not met, or not known when the data was not there.',
  ],
  ['Cap', 'A condition that keeps a pillar at or below a level whatever else is met.'],
  [
    'AI agent accountability',
    'Whether each agent’s actions can be traced, attributed to a policy and an owner, governed at scale and overseen by a person; levels 0 Invisible, 1 Inventoried, 2 Attributable, 3 Enforced, 4 Verified.',
  ],
  ['Shadow agent', 'An agent no agent platform, registry or annotation declares.'],
  [
    'Shared key',
    'A credential (for example a model provider API key) used by more than one agent.',
  ],
  [
    'OWASP ASI',
    'The OWASP Agentic Security Initiative’s top ten risks of agentic applications (ASI01–ASI10).',
  ],
  [
    'Integration tax',
    'The yearly cost of keeping separately chosen networking and security tools working together.',
  ],
  ['Seam', 'A pair of tools that must be kept working together.'],
  ['Glue work', 'Engineering time spent on the seams rather than on the product.'],
  ['MTTR', 'Mean time to restore service after an incident.'],
  ['Payback', 'Months until the yearly saving has repaid the one-off migration cost.'],
  ['ROI', 'Return on investment over three years: savings minus cost, divided by cost.'],
  ['KubeVirt', 'Runs virtual machines as Kubernetes workloads.'],
  [
    'Probe',
    'A scripted risky request sent to a live agent to see whether it is blocked and recorded.',
  ],
];

function Appendix({ data }: SectionProps) {
  return (
    <section className="page" aria-labelledby="appendix-title" data-testid="appendix">
      <h1 id="appendix-title">Appendix</h1>
      <h2>Methodology in brief</h2>
      <p>
        Plumbline reads a snapshot of each cluster (objects and their configuration, never secret
        values) taken by its scanner, plus the evidence uploaded (decision logs, traces, probe
        reports, attestations, the self-assessment, VM inventories). Operational maturity scores six
        pillars from 0 to 4 against published criteria; a level counts only when all its criteria
        and those below are met, and the organisation’s level is that of its weakest pillar, read
        from its production clusters when any are marked. AI agent accountability scores five
        pillars the same way, and each of five principles (default deny, attribute-based policy,
        zero-trust identity, audit by design, Kubernetes-native) caps a pillar while it fails. The
        integration tax prices glue work, longer incidents, licence overlap, onboarding, upgrades,
        compliance evidence and the tools’ compute footprint from the detected tools and the seams
        between them; every input has a source and can be changed. Actions are ranked by the level
        they raise, then severity, then how widely they apply, and each shows its computed what-if
        effect. Methodology version {data.methodologyVersion}; report generated{' '}
        {formatDateTime(data.generatedAt)}.
      </p>
      <h2>Detected stack per cluster</h2>
      {data.clusters.map((c) => (
        <div key={c.cluster.id} className="stack">
          <h3>
            {c.cluster.name}
            {c.cluster.production ? ' (production)' : ''}{' '}
            <span className="muted">
              {c.scan?.collectedAt
                ? `scanned ${formatDate(c.scan.collectedAt)}`
                : 'not analysed yet'}
            </span>
          </h3>
          {c.stack?.layers.length ? (
            <table className="table">
              <tbody>
                {c.stack.layers.map((l) => (
                  <tr key={l.category}>
                    <th scope="row">{categoryLabel(l.category)}</th>
                    <td>
                      {l.components
                        .map(
                          (x) =>
                            `${x.name}${x.version ? ` ${x.version}` : ''}${x.status === 'installed' ? '' : ` (${x.status})`}`,
                        )
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">Nothing detected yet.</p>
          )}
        </div>
      ))}
      <h2>Glossary</h2>
      <dl className="glossary">
        {GLOSSARY.map(([term, meaning]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{meaning}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The leadership report: cover, executive summary, four sections, appendix. */
export function Report({ data }: { data: ReportData }) {
  const h = headline(data);
  const props = { data, h };
  return (
    <main className={`report report--${data.paperSize.toLowerCase()}`}>
      <Cover {...props} />
      <ExecutiveSummary {...props} />
      <RoadmapSection {...props} />
      <MaturitySection {...props} />
      <AgentsSection {...props} />
      <TaxSection {...props} />
      <TrendSection {...props} />
      <Appendix {...props} />
    </main>
  );
}

import type { SelfAssessmentResponse } from '@plumbline/contracts';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { FormError } from '../../../components/Field';
import { toFormError, type FormErrorValue } from '../../../components/formError';
import { formatDateTime } from '../../../format';
import { useOrg } from '../../../session/org';
import { useApi } from '../../../session/session';

type Pillar = SelfAssessmentResponse['questions'][number]['pillar'];
type Answers = Partial<Record<Pillar, number>>;
type Row = SelfAssessmentResponse['claimedVsEvidenced'][number];

/** A claim beside the evidence, in words. */
export function gapWords(row: Pick<Row, 'claimed' | 'evidenced' | 'gap'>): string {
  if (row.claimed === null) return 'not answered';
  if (row.evidenced === null) return 'no evidence to compare (no agents found)';
  const gap = row.gap ?? row.claimed - row.evidenced;
  if (gap === 0) return 'the claim matches the evidence';
  const n = Math.abs(gap);
  const levels = `${n} level${n === 1 ? '' : 's'}`;
  return gap > 0
    ? `the claim exceeds the evidence by ${levels}`
    : `the evidence exceeds the claim by ${levels}`;
}

function gapKind(row: Row): string {
  if (row.claimed === null || row.evidenced === null) return 'unknown';
  const gap = row.gap ?? row.claimed - row.evidenced;
  return gap > 0 ? 'warning' : 'ok';
}

/** What the organisation claimed beside what the evidence shows, per pillar. */
export function ClaimedVsEvidenced({ data }: { data: SelfAssessmentResponse }) {
  const label = (v: number | null) =>
    v === null ? '—' : `${data.answerScale.find((a) => a.value === v)?.label ?? ''} (level ${v})`;
  return (
    <div className="table-wrap">
      <table className="table claimed-table" data-testid="claimed-vs-evidenced">
        <caption>Claimed beside evidenced, per pillar</caption>
        <thead>
          <tr>
            <th scope="col">Pillar</th>
            <th scope="col">Claimed</th>
            <th scope="col">Evidenced</th>
            <th scope="col">Gap</th>
          </tr>
        </thead>
        <tbody>
          {data.claimedVsEvidenced.map((r) => (
            <tr key={r.pillar} data-testid={`claim-${r.pillar}`}>
              <th scope="row">
                {r.name}
                <span className="finding-meta muted">{r.question}</span>
              </th>
              <td>{label(r.claimed)}</td>
              <td>{r.evidenced === null ? '—' : `level ${r.evidenced}`}</td>
              <td>
                <span className={`status-pill status-pill--${gapKind(r)}`}>{gapWords(r)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The five questions, one per step, with the answer scale the API gives; PUT on finish. */
export function SelfAssessmentWizard({
  data,
  onSaved,
  onCancel,
}: {
  data: SelfAssessmentResponse;
  onSaved: (next: SelfAssessmentResponse) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const [step, setStep] = useState(0);
  const [answers, setAnswers] = useState<Answers>(() => ({ ...(data.current?.answers ?? {}) }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const legendRef = useRef<HTMLLegendElement>(null);
  const questions = data.questions;
  const q = questions[step]!;
  const last = step === questions.length - 1;
  const answered = answers[q.pillar] !== undefined;

  useEffect(() => {
    legendRef.current?.focus();
  }, [step]);

  const finish = async () => {
    const missing = questions.filter((x) => answers[x.pillar] === undefined);
    if (missing.length) {
      setError({
        message: `Answer every question first (${missing.map((m) => m.name).join(', ')}).`,
        details: [],
      });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const full = Object.fromEntries(questions.map((x) => [x.pillar, answers[x.pillar]!]));
      const saved = await api.saveSelfAssessment(org.id, {
        answers: full as Record<Pillar, number>,
      });
      onSaved(saved);
    } catch (e) {
      setError(toFormError(e));
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!answered) return;
    if (last) void finish();
    else setStep((s) => s + 1);
  };

  return (
    <form
      className="wizard"
      onSubmit={submit}
      aria-busy={busy}
      data-testid="self-assessment-wizard"
    >
      <p className="wizard__progress" aria-live="polite">
        Question {step + 1} of {questions.length} · {q.name}
      </p>
      <progress max={questions.length} value={step + 1} aria-hidden="true" />
      <fieldset>
        <legend ref={legendRef} tabIndex={-1} className="wizard__question">
          {q.question}
        </legend>
        <div className="choices">
          {data.answerScale.map((a) => (
            <label key={a.value} className="choice">
              <input
                type="radio"
                name={`${ids}-${q.pillar}`}
                value={a.value}
                checked={answers[q.pillar] === a.value}
                onChange={() => setAnswers((s) => ({ ...s, [q.pillar]: a.value }))}
              />
              <span className="choice__label">{a.label}</span>
              <span className="choice__level muted">level {a.value}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <FormError error={error} />
      <div className="wizard__buttons">
        <button
          type="button"
          className="button button--secondary"
          onClick={() => (step === 0 ? onCancel() : setStep((s) => s - 1))}
          disabled={busy}
        >
          {step === 0 ? 'Cancel' : 'Back'}
        </button>
        <button type="submit" className="button" disabled={!answered || busy}>
          {last ? (busy ? 'Saving…' : 'Finish and save') : 'Next'}
        </button>
      </div>
    </form>
  );
}

/** The self-assessment section: the answers and their comparison, or the wizard. */
export function SelfAssessmentSection({
  data,
  canAnswer,
  onSaved,
}: {
  data: SelfAssessmentResponse;
  canAnswer: boolean;
  onSaved: (next: SelfAssessmentResponse) => void;
}) {
  const [answering, setAnswering] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const resultRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (justSaved) resultRef.current?.focus();
  }, [justSaved]);

  if (answering) {
    return (
      <SelfAssessmentWizard
        data={data}
        onCancel={() => setAnswering(false)}
        onSaved={(next) => {
          setAnswering(false);
          setJustSaved(true);
          onSaved(next);
        }}
      />
    );
  }
  return (
    <>
      {data.current ? (
        <p
          ref={resultRef}
          tabIndex={-1}
          role={justSaved ? 'status' : undefined}
          data-testid="self-assessment-status"
        >
          {justSaved ? 'Saved. ' : ''}Answered {formatDateTime(data.current.createdAt)}; here is
          what you claimed beside what the evidence shows.
        </p>
      ) : (
        <p data-testid="self-assessment-status">
          Not answered yet: five questions, one per step, about a minute. Your answers are shown
          beside what the evidence shows.
        </p>
      )}
      {data.current && <ClaimedVsEvidenced data={data} />}
      {canAnswer ? (
        <p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setJustSaved(false);
              setAnswering(true);
            }}
          >
            {data.current ? 'Answer again' : 'Answer the five questions'}
          </button>
        </p>
      ) : (
        <p className="notice">Members and above answer the self-assessment; you can read it.</p>
      )}
    </>
  );
}

import type { EvidenceUploadRecord } from '@plumbline/contracts';
import { useId, useRef, useState, type FormEvent } from 'react';
import type { EvidenceUploadKind } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { EmptyState, ResourceView } from '../../components/states';
import { formatDateTime } from '../../format';
import { useResource } from '../../hooks/useResource';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';

/** Every kind the API accepts, in words (the Record makes a new contract kind a type error). */
export const EVIDENCE_KIND_LABELS: Record<EvidenceUploadKind, string> = {
  'mcp-client-config': 'MCP client configuration (JSON)',
  'a2a-agent-card': 'A2A agent card (JSON)',
  'otlp-traces': 'OpenTelemetry trace sample (OTLP JSON)',
  'decision-log': 'Agent decision log (JSON Lines)',
  'probe-report': 'Governance probe report (JSON)',
  attestation: 'Attestations (JSON)',
  'self-assessment': 'Self-assessment answers (JSON)',
  'vm-inventory': 'VM inventory (CSV)',
};

const MAX_BYTES = 5 * 1024 * 1024;

/** The file's text (UTF-8), with FileReader where Blob.text() is missing (older engines). */
function readText(file: File): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error(`could not read ${file.name}`));
    reader.readAsText(file);
  });
}

/** What the API recognised in an upload, in words. */
export function evidenceSummary(e: EvidenceUploadRecord): string {
  const s = e.summary;
  if (typeof s === 'object' && s !== null && 'vms' in s && typeof s.vms === 'number') {
    const errors = 'errors' in s && Array.isArray(s.errors) ? s.errors.length : 0;
    return `${s.vms} VM${s.vms === 1 ? '' : 's'}${errors ? `, ${errors} line${errors === 1 ? '' : 's'} skipped` : ''}`;
  }
  return 'validated';
}

function kindWords(kind: string): string {
  return (EVIDENCE_KIND_LABELS as Record<string, string>)[kind] ?? kind;
}

function UploadForm({ onUploaded }: { onUploaded: (r: EvidenceUploadRecord) => void }) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<EvidenceUploadKind | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError({ message: 'Choose a file to upload.', details: [] });
      return;
    }
    if (file.size > MAX_BYTES) {
      setError({ message: `The file is larger than ${MAX_BYTES / 1024 / 1024} MB.`, details: [] });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const content = await readText(file);
      const r = await api.uploadEvidence(org.id, {
        filename: file.name,
        content,
        ...(kind ? { kind } : {}),
      });
      if (fileRef.current) fileRef.current.value = '';
      onUploaded(r);
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Upload evidence" aria-busy={busy}>
      <div className="field">
        <label htmlFor={`${ids}-file`}>File</label>
        <input
          id={`${ids}-file`}
          ref={fileRef}
          type="file"
          accept=".json,.jsonl,.ndjson,.csv,.txt"
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-kind`}>Kind</label>
        <select
          id={`${ids}-kind`}
          value={kind}
          onChange={(e) => setKind(e.target.value as EvidenceUploadKind | '')}
        >
          <option value="">Detect from the content</option>
          {Object.entries(EVIDENCE_KIND_LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload'}
      </button>
      <FormError error={error} />
    </form>
  );
}

function DeleteButton({
  upload,
  onDeleted,
}: {
  upload: EvidenceUploadRecord;
  onDeleted: () => void;
}) {
  const api = useApi();
  const org = useOrg();
  return (
    <ConfirmButton
      verb="Delete"
      target={upload.filename}
      consequence="The results are recomputed without it."
      action={() => api.deleteEvidence(org.id, upload.id)}
      onDone={onDeleted}
    />
  );
}

export function EvidenceTab() {
  const api = useApi();
  const org = useOrg();
  const canUpload = useCan('member');
  const canDelete = useCan('admin');
  const [last, setLast] = useState<EvidenceUploadRecord | null>(null);
  const [uploads, reload] = useResource(
    async (signal) => (await api.evidence(org.id, signal)).items,
    [api, org.id],
  );
  return (
    <>
      <p className="muted">
        Evidence beyond the cluster scan: MCP client configurations, agent cards, trace samples,
        decision logs, probe reports, attestations, self-assessment answers and VM inventories. Each
        file is checked against its format before it is stored; the results are then recomputed.
      </p>
      {canUpload ? (
        <UploadForm
          onUploaded={(r) => {
            setLast(r);
            reload();
          }}
        />
      ) : (
        <p className="notice">Viewers can see uploads; members and above can upload.</p>
      )}
      {last && (
        <p className="callout" role="status" data-testid="evidence-uploaded">
          Uploaded <strong>{last.filename}</strong> as {kindWords(last.kind)}. The results are being
          recomputed.
        </p>
      )}
      <h3>Uploads</h3>
      <ResourceView resource={uploads} what="the evidence uploads" onRetry={reload}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState title="No evidence uploaded yet." />
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="evidence-table">
                <caption className="visually-hidden">Evidence uploads, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Recognised</th>
                    <th scope="col">Uploaded</th>
                    {canDelete && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {items.map((e) => (
                    <tr key={e.id}>
                      <th scope="row">{e.filename}</th>
                      <td>{kindWords(e.kind)}</td>
                      <td>{evidenceSummary(e)}</td>
                      <td>{formatDateTime(e.createdAt)}</td>
                      {canDelete && (
                        <td>
                          <DeleteButton upload={e} onDeleted={reload} />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </ResourceView>
    </>
  );
}

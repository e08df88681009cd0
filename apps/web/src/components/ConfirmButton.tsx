import { useState } from 'react';
import { describeError } from '../api';

/**
 * A destructive action in two steps: the button, then a short consequence with "Confirm" and
 * "Cancel". `target` names the object for screen readers (both buttons say what they act on);
 * a failed action shows its error beside the buttons and can be tried again.
 */
export function ConfirmButton({
  verb,
  target,
  consequence,
  action,
  onDone,
}: {
  /** "Delete", "Revoke": the first button's label; the second says "Confirm <verb>". */
  verb: string;
  target: string;
  consequence: string;
  action: () => Promise<unknown>;
  onDone: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!confirming) {
    return (
      <button
        type="button"
        className="button button--small button--danger-outline"
        onClick={() => setConfirming(true)}
      >
        {verb}
        <span className="visually-hidden"> {target}</span>
      </button>
    );
  }
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  return (
    <span className="confirm">
      <span>{consequence}</span>
      <button
        type="button"
        className="button button--small button--danger"
        disabled={busy}
        onClick={() => void run()}
      >
        Confirm {verb.toLowerCase()}
        <span className="visually-hidden"> {target}</span>
      </button>
      <button
        type="button"
        className="button button--small button--secondary"
        disabled={busy}
        onClick={() => setConfirming(false)}
      >
        Cancel
      </button>
      {error && (
        <span role="alert" className="inline-message inline-message--error">
          {error}
        </span>
      )}
    </span>
  );
}

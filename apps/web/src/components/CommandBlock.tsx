import { useState } from 'react';

/** A shell command to copy, with a copy button that says whether it worked. */
export function CommandBlock({
  label,
  command,
  testId,
}: {
  label: string;
  command: string;
  testId?: string;
}) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="command">
      <div className="command__head">
        <span className="command__label">{label}</span>
        <button
          type="button"
          className="button button--small button--secondary"
          onClick={() => void copy()}
        >
          Copy<span className="visually-hidden"> {label}</span>
        </button>
        <span role="status" className="command__copied">
          {copied === 'copied'
            ? 'Copied.'
            : copied === 'failed'
              ? 'Copy failed: select the text and copy it.'
              : ''}
        </span>
      </div>
      <pre className="command__text" data-testid={testId} tabIndex={0} aria-label={label}>
        <code>{command}</code>
      </pre>
    </div>
  );
}

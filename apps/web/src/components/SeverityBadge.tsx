import type { Severity } from '@plumbline/contracts';

export const SEVERITY_WORDS: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** A finding's severity in words and colour (never colour alone). */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`severity severity--${severity}`}>{SEVERITY_WORDS[severity]}</span>;
}

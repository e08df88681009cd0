/** A maturity or accountability level, 0-4, in words and colour (never colour alone). */
export function LevelBadge({
  level,
  max = 4,
  short = false,
}: {
  /** null: not determinable (no data, or nothing to score). */
  level: number | null;
  max?: number;
  /** "L2" instead of "Level 2 of 4" (tight tables); the full words stay in the title. */
  short?: boolean;
}) {
  if (level === null) {
    return (
      <span className="level level--unknown" title="Level unknown: not enough evidence">
        {short ? (
          <>
            <span aria-hidden="true">L?</span>
            <span className="visually-hidden">Level unknown</span>
          </>
        ) : (
          'Level unknown'
        )}
      </span>
    );
  }
  const clamped = Math.max(0, Math.min(max, Math.round(level)));
  const words = `Level ${clamped} of ${max}`;
  return (
    <span className={`level level--${clamped}`} title={words}>
      {short ? (
        <>
          <span aria-hidden="true">L{clamped}</span>
          <span className="visually-hidden">{words}</span>
        </>
      ) : (
        words
      )}
    </span>
  );
}

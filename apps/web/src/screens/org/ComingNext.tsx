import type { ReactNode } from 'react';

/** An honest placeholder: what this screen will show, and that it is not built yet. */
export function ComingNext({ what, children }: { what: readonly string[]; children?: ReactNode }) {
  return (
    <section
      className="panel coming-next"
      aria-labelledby="coming-next-title"
      data-testid="coming-next"
    >
      <h2 id="coming-next-title">Coming in the next change</h2>
      <p>
        The data behind this screen is computed already; the screen that shows it is not built yet.
        It will show:
      </p>
      <ul>
        {what.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
      {children}
    </section>
  );
}

import { Component, type ReactNode } from 'react';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Resolves with the number of charts once the report is on the page, every chart has drawn its
 * SVG and the fonts are loaded; rejects after `timeoutMs` naming the charts that did not draw.
 * `stop()` ends the wait early (the page already failed).
 */
export async function whenChartsDrawn(
  root: HTMLElement,
  stop: () => boolean = () => false,
  timeoutMs = 10_000,
): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (stop()) return 0;
    const sections = root.querySelectorAll('main.report');
    const plots = [...root.querySelectorAll<HTMLElement>('.chart__plot')];
    const missing = plots.filter((p) => !p.querySelector('svg.recharts-surface *'));
    if (sections.length && !missing.length) {
      // jsdom (unit tests) has no font loading.
      if ('fonts' in document) await document.fonts.ready;
      return plots.length;
    }
    if (Date.now() > until) {
      const names = missing.map(
        (p) => p.closest('figure')?.querySelector('figcaption')?.textContent ?? 'a chart',
      );
      throw new Error(
        sections.length
          ? `${missing.length} chart(s) did not draw: ${names.join('; ')}`
          : 'the report did not appear on the page',
      );
    }
    await sleep(20);
  }
}

/** A rendering error becomes the page's error status, with its message. */
export class ReportErrorBoundary extends Component<
  { onError: (message: string) => void; children: ReactNode },
  { failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    this.props.onError(error instanceof Error ? error.message : String(error));
  }

  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}

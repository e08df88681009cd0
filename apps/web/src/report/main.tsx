/**
 * The PDF report page (second Vite entry, `report.html`). Not part of the web app a visitor
 * loads: the worker opens it in headless Chromium from the build output (REPORT_DIST_DIR), puts
 * the report data on `window` before this script runs, waits for the status this page sets once
 * every chart is drawn, and prints it (packages/jobs/src/report/chromium.ts).
 */
import { REPORT_PAGE, reportDataSchema, type ReportPageStatus } from '@plumbline/contracts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { escapeBidiDeep } from '../display';
import { ReportErrorBoundary, whenChartsDrawn } from './ready';
import { Report } from './Report';
import './report.css';

const win = window as unknown as Record<string, unknown>;

function setStatus(status: ReportPageStatus): void {
  win[REPORT_PAGE.statusGlobal] = status;
  document.documentElement.dataset.reportState = status.state;
}

function fail(message: string): void {
  setStatus({ state: 'error', message });
  const el = document.getElementById('report');
  if (el) el.textContent = `The report could not be drawn: ${message}`;
}

setStatus({ state: 'rendering' });
// Names from clusters may hold bidi controls: printed escaped, like on screen (display.ts).
const parsed = reportDataSchema.safeParse(escapeBidiDeep(win[REPORT_PAGE.dataGlobal]));
const root = document.getElementById('report');
if (!root) {
  fail('the page has no #report element');
} else if (win[REPORT_PAGE.dataGlobal] === undefined) {
  fail('no report data was given to this page (the worker injects it before printing)');
} else if (!parsed.success) {
  const issue = parsed.error.issues[0];
  fail(
    `the report data does not match its contract (${issue?.path.join('.') || 'data'}: ${issue?.message ?? 'invalid'})`,
  );
} else {
  const data = parsed.data;
  document.title = `Plumbline leadership report · ${data.organization.name}`;
  createRoot(root).render(
    <StrictMode>
      <ReportErrorBoundary onError={fail}>
        <Report data={data} />
      </ReportErrorBoundary>
    </StrictMode>,
  );
  const failed = () => (win[REPORT_PAGE.statusGlobal] as ReportPageStatus).state === 'error';
  whenChartsDrawn(root, failed).then(
    (charts) => {
      if (!failed()) setStatus({ state: 'ready', charts });
    },
    (e: unknown) => {
      if (!failed()) fail(e instanceof Error ? e.message : String(e));
    },
  );
}

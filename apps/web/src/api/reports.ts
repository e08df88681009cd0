import type { CreateReportRequest, PaperSize, ReportRecord } from '@plumbline/contracts';
import type { ApiClient } from './client';

/** Leadership PDF reports (`/v1/orgs/:orgId/reports`): request, list, status, download. */

const base = (orgId: string) => `/v1/orgs/${encodeURIComponent(orgId)}/reports`;

export interface ReportPage {
  items: ReportRecord[];
  nextCursor: string | null;
}

export function listReports(
  api: ApiClient,
  orgId: string,
  opts: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {},
): Promise<ReportPage> {
  return api.http.request('GET', base(orgId), {
    signal: opts.signal,
    query: { limit: opts.limit ?? 20, cursor: opts.cursor ?? undefined },
  });
}

export function requestReport(
  api: ApiClient,
  orgId: string,
  body: { clusterId?: string; paperSize: PaperSize },
): Promise<ReportRecord> {
  const request: CreateReportRequest = body;
  return api.http.request('POST', base(orgId), { body: request });
}

/** Same origin, session cookie: a plain link downloads it (the API audits each download). */
export function reportPdfUrl(orgId: string, reportId: string): string {
  return `${base(orgId)}/${encodeURIComponent(reportId)}/pdf`;
}

/** Still being made: the list polls while any report is in one of these states. */
export const PENDING_STATUSES: readonly ReportRecord['status'][] = ['queued', 'rendering'];

import type {
  AlertChannelView,
  AlertDeliveryPage,
  AlertRuleView,
  CreateAlertChannelRequest,
  CreatedAlertChannelView,
  CreateReportScheduleRequest,
  PutAlertRulesRequest,
  ReportScheduleView,
  UpdateAlertChannelRequest,
  UpdateReportScheduleRequest,
} from '@plumbline/contracts';
import type { ApiClient } from './client';

/** Alerts and scheduled reports (`/v1/orgs/:orgId/alert-*`, `/report-schedules`). */

const o = (orgId: string) => `/v1/orgs/${encodeURIComponent(orgId)}`;
const seg = encodeURIComponent;

export const alertRules = (api: ApiClient, orgId: string, signal?: AbortSignal) =>
  api.http.request<AlertRuleView[]>('GET', `${o(orgId)}/alert-rules`, { signal });

export const putAlertRules = (api: ApiClient, orgId: string, body: PutAlertRulesRequest) =>
  api.http.request<AlertRuleView[]>('PUT', `${o(orgId)}/alert-rules`, { body });

export const alertChannels = (api: ApiClient, orgId: string, signal?: AbortSignal) =>
  api.http.request<AlertChannelView[]>('GET', `${o(orgId)}/alert-channels`, { signal });

export const createAlertChannel = (
  api: ApiClient,
  orgId: string,
  body: CreateAlertChannelRequest,
) => api.http.request<CreatedAlertChannelView>('POST', `${o(orgId)}/alert-channels`, { body });

export const updateAlertChannel = (
  api: ApiClient,
  orgId: string,
  id: string,
  body: UpdateAlertChannelRequest,
) => api.http.request<AlertChannelView>('PATCH', `${o(orgId)}/alert-channels/${seg(id)}`, { body });

export const deleteAlertChannel = (api: ApiClient, orgId: string, id: string) =>
  api.http.request<{ deleted: true }>('DELETE', `${o(orgId)}/alert-channels/${seg(id)}`);

export const testAlertChannel = (api: ApiClient, orgId: string, id: string) =>
  api.http.request<{ deliveryId: string }>('POST', `${o(orgId)}/alert-channels/${seg(id)}/test`);

export const alertDeliveries = (
  api: ApiClient,
  orgId: string,
  opts: { cursor?: string | null; signal?: AbortSignal } = {},
) =>
  api.http.request<AlertDeliveryPage>('GET', `${o(orgId)}/alert-deliveries`, {
    signal: opts.signal,
    query: { limit: 20, cursor: opts.cursor ?? undefined },
  });

export const reportSchedules = (api: ApiClient, orgId: string, signal?: AbortSignal) =>
  api.http.request<ReportScheduleView[]>('GET', `${o(orgId)}/report-schedules`, { signal });

export const createReportSchedule = (
  api: ApiClient,
  orgId: string,
  body: CreateReportScheduleRequest,
) => api.http.request<ReportScheduleView>('POST', `${o(orgId)}/report-schedules`, { body });

export const updateReportSchedule = (
  api: ApiClient,
  orgId: string,
  id: string,
  body: UpdateReportScheduleRequest,
) =>
  api.http.request<ReportScheduleView>('PATCH', `${o(orgId)}/report-schedules/${seg(id)}`, {
    body,
  });

export const deleteReportSchedule = (api: ApiClient, orgId: string, id: string) =>
  api.http.request<{ deleted: true }>('DELETE', `${o(orgId)}/report-schedules/${seg(id)}`);

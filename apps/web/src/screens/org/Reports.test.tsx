import { describe, expect, it } from '@jest/globals';
import type { ReportRecord } from '@plumbline/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID, USER_ID } from '../../../test/fake-api';
import { renderApp } from '../../../test/render-app';

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const CLUSTER_ID = '33333333-3333-4333-8333-333333333333';

const report = (over: Partial<ReportRecord> = {}): ReportRecord => ({
  id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  clusterId: null,
  scope: 'organisation',
  status: 'ready',
  paperSize: 'A4',
  pageCount: 12,
  error: null,
  requestedById: USER_ID,
  createdAt: '2026-03-01T10:00:00Z',
  finishedAt: '2026-03-01T10:00:05Z',
  ...over,
});

const clusters = {
  status: 200,
  body: {
    items: [
      {
        id: CLUSTER_ID,
        organizationId: ORG_ID,
        externalId: 'prod',
        name: 'prod-eu',
        production: true,
        environment: null,
        environmentReason: null,
        createdAt: '2026-02-01T00:00:00Z',
        firstSeenAt: '2026-02-01T00:00:00Z',
        lastScanAt: null,
      },
    ],
  },
};

describe('Reports screen', () => {
  it('requests a cluster report on Letter, follows it until ready, then offers the download', async () => {
    let items: ReportRecord[] = [report()];
    let polls = 0;
    const requested = report({
      id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
      clusterId: CLUSTER_ID,
      scope: 'cluster prod-eu',
      paperSize: 'Letter',
      status: 'queued',
      pageCount: null,
      finishedAt: null,
      createdAt: '2026-03-02T09:00:00Z',
    });
    const { calls } = renderApp(`/o/${ORG_ID}/reports`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/clusters')}`]: clusters,
      [`GET ${org('/reports')}`]: () => {
        // The new report renders, then is ready, while the screen polls.
        if (items[0]?.status === 'queued' && ++polls >= 2)
          items = [{ ...items[0], status: 'rendering' }, ...items.slice(1)];
        if (items[0]?.status === 'rendering' && ++polls >= 4)
          items = [{ ...items[0], status: 'ready', pageCount: 15 }, ...items.slice(1)];
        return { status: 200, body: { items, nextCursor: null } };
      },
      [`POST ${org('/reports')}`]: () => {
        items = [requested, ...items];
        return { status: 202, body: requested };
      },
    });
    const user = userEvent.setup();
    // The screen loads lazily: allow for a slow machine.
    const table = await screen.findByTestId('reports-table', {}, { timeout: 10_000 });
    const first = within(table).getAllByTestId('report-row')[0]!;
    expect(
      within(first).getByRole('link', { name: /Download PDF: the report of/ }),
    ).toHaveAttribute('href', `${org('/reports')}/aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa/pdf`);

    await waitFor(() =>
      expect(screen.getByLabelText('Scope')).toHaveTextContent('Cluster prod-eu'),
    );
    await user.selectOptions(screen.getByLabelText('Scope'), 'Cluster prod-eu');
    await user.selectOptions(screen.getByLabelText('Paper size'), 'US Letter (8.5 × 11 in)');
    await user.click(screen.getByRole('button', { name: 'Request PDF' }));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ paperSize: 'Letter', clusterId: CLUSTER_ID });
    expect(post?.headers['x-csrf-token']).toBe('csrf-123');
    expect(await screen.findByTestId('report-requested')).toHaveTextContent(
      'Requested a Letter report of cluster prod-eu',
    );

    const newest = () => screen.getAllByTestId('report-row')[0]!;
    await waitFor(() => expect(newest()).toHaveAttribute('data-status', 'queued'));
    expect(newest()).toHaveTextContent('Not ready yet');
    await waitFor(() => expect(newest()).toHaveAttribute('data-status', 'ready'), {
      timeout: 15_000,
    });
    expect(newest()).toHaveTextContent('15');
    expect(within(newest()).getByRole('link', { name: /Download/ })).toHaveAttribute(
      'href',
      `${org('/reports')}/bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb/pdf`,
    );
  }, 30_000);

  it('shows why a report failed, and that viewers cannot request one', async () => {
    renderApp(`/o/${ORG_ID}/reports`, {
      'GET /v1/me': {
        status: 200,
        body: { ...ME, organizations: [{ ...ME.organizations[0]!, role: 'viewer' }] },
      },
      [`GET ${org('/clusters')}`]: clusters,
      [`GET ${org('/reports')}`]: {
        status: 200,
        body: {
          items: [
            report({
              status: 'failed',
              pageCount: null,
              error: 'cannot render PDFs: Chromium not found at /usr/bin/chromium',
            }),
          ],
          nextCursor: null,
        },
      },
    });
    expect(await screen.findByTestId('report-error', {}, { timeout: 10_000 })).toHaveTextContent(
      'Why: cannot render PDFs: Chromium not found at /usr/bin/chromium',
    );
    expect(screen.queryByRole('button', { name: 'Request PDF' })).toBeNull();
    expect(screen.getByText(/members and above can request them/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Download/ })).toBeNull();
  });

  it('says so when there is no report yet', async () => {
    renderApp(`/o/${ORG_ID}/reports`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/clusters')}`]: clusters,
      [`GET ${org('/reports')}`]: { status: 200, body: { items: [], nextCursor: null } },
    });
    expect(await screen.findByTestId('reports-empty', {}, { timeout: 10_000 })).toHaveTextContent(
      'No report requested yet.',
    );
  });
});

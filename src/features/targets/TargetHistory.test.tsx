import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AgentClient } from '../../shared/api/client';
import { agentPath, mockBackendSrv, network, ok } from '../../test/backendSrv';
import { AGENT, backup, failure, target } from '../../test/fixtures';
import { renderAt } from '../../test/render';
import { TargetHistory } from './TargetHistory';

const BACKUPS = `GET ${agentPath('/api/v1/backups')}`;

const show = () => renderAt(<TargetHistory client={new AgentClient(AGENT)} target={target()} />);

describe('TargetHistory', () => {
  it('charts duration, stored size and rows of the last runs, with a link to all of them', async () => {
    const failed = backup({ id: 'f', status: 'failed', class: 'auth', error: failure(), bytes: 0, rows: 0 });
    mockBackendSrv({ [BACKUPS]: ok({ backups: [backup({ id: 'n' }), failed, backup({ id: 'o' })] }) });
    show();
    const history = await screen.findByRole('region', { name: 'Last runs of shop' });
    const charts = within(history).getAllByRole('figure');
    expect(charts.map((c) => c.getAttribute('aria-label'))).toEqual([
      'Duration of the last 3 runs',
      'Stored size of the last 3 runs',
      'Rows of the last 3 runs',
    ]);
    for (const chart of charts) {
      const statuses = [...chart.querySelectorAll('rect[data-status]')].map((r) => r.getAttribute('data-status'));
      expect(statuses).toEqual(['success', 'failed', 'success']);
    }
    expect(within(history).getByText('3 runs: 2 succeeded, 1 did not, newest on the right')).toBeInTheDocument();
    expect(within(history).getByRole('link', { name: 'all backups of shop' })).toHaveAttribute(
      'href',
      '/a/warden-mysqlbackup-app/backups?agent=0&target=shop',
    );
  });

  it('says when the target has no runs yet', async () => {
    mockBackendSrv({ [BACKUPS]: ok({ backups: [] }) });
    show();
    expect(await screen.findByText('No runs yet.')).toBeInTheDocument();
  });

  it('explains an agent it cannot reach', async () => {
    mockBackendSrv({ [BACKUPS]: network });
    show();
    expect(await screen.findByText('Cannot reach agent "db-host-1"')).toBeInTheDocument();
  });
});

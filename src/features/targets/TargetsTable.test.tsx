import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { AgentClient } from '../../shared/api/client';
import { agentPath, mockBackendSrv, ok } from '../../test/backendSrv';
import { AGENT, backup, failingTarget, target } from '../../test/fixtures';
import { isDisabled, renderAt, setRole } from '../../test/render';
import { TargetsTable } from './TargetsTable';

describe('TargetsTable', () => {
  beforeEach(() => {
    setRole('Editor');
    mockBackendSrv({});
  });

  it('shows one row per target with state, freshness, verification and failure', () => {
    renderAt(<TargetsTable client={new AgentClient(AGENT)} targets={[target(), failingTarget()]} onChanged={() => undefined} />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const [shop, crm] = rows.map((r) => within(r));
    expect(shop!.getByText('OK')).toBeInTheDocument();
    expect(shop!.getByText('parse ✓')).toBeInTheDocument();
    expect(shop!.getByRole('link', { name: 'details' })).toHaveAttribute(
      'href',
      '/a/warden-mysqlbackup-app/backup/0/20250301T100000Z-shop',
    );
    expect(crm!.getByText('Failing')).toBeInTheDocument();
    expect(crm!.getByText('auth')).toBeInTheDocument();
    expect(crm!.getByText(/Fix the credentials/)).toBeInTheDocument();
    expect(crm!.getByText('no good backup yet')).toBeInTheDocument();
  });

  it('shows progress for a running target and disables its button', () => {
    const running = target({
      state: 'running',
      running: { id: 'r', kind: 'backup', startedAt: new Date().toISOString(), progress: null },
    });
    renderAt(<TargetsTable client={new AgentClient(AGENT)} targets={[running]} onChanged={() => undefined} />);
    expect(screen.getByText('Running')).toBeInTheDocument();
    expect(screen.getByTestId('run-progress')).toBeInTheDocument();
    expect(isDisabled(screen.getByRole('button', { name: 'Back up shop now' }))).toBe(true);
  });

  it("opens a row to the target's last runs", async () => {
    mockBackendSrv({ [`GET ${agentPath('/api/v1/backups')}`]: ok({ backups: [backup()] }) });
    renderAt(<TargetsTable client={new AgentClient(AGENT)} targets={[target()]} onChanged={() => undefined} />);
    expect(screen.queryByRole('region', { name: 'Last runs of shop' })).not.toBeInTheDocument();
    await userEvent.click(within(screen.getAllByRole('row')[1]!).getByRole('button', { name: 'Toggle row expanded' }));
    expect(await screen.findByRole('figure', { name: 'Duration of the last run' })).toBeInTheDocument();
  });
});

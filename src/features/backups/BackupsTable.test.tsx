import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { backup, failure } from '../../test/fixtures';
import { renderAt } from '../../test/render';
import { BackupsTable } from './BackupsTable';

describe('BackupsTable', () => {
  it('shows the offsite copy of each backup: copied, failed with its class, or none', () => {
    const at = '2025-03-01T11:00:00Z';
    const copied = backup({ id: 'c1', offsite: { state: 'copied', location: 's3://offsite/warden/shop/c1', at, verifiedAt: at, bytes: 10, attempts: 1, error: null } });
    const failedCopy = backup({
      id: 'c2',
      offsite: { state: 'failed', location: 's3://offsite/warden/shop/c2', at, verifiedAt: null, bytes: 0, attempts: 2, error: failure({ class: 'storage_network', hint: 'Check the endpoint.' }) },
    });
    renderAt(<BackupsTable slot={3} backups={[copied, failedCopy, backup({ id: 'c3' })]} />);
    const [one, two, three] = screen.getAllByRole('row').slice(1).map((r) => within(r));
    expect(one!.getByText('offsite ✓')).toBeInTheDocument();
    expect(two!.getByText('offsite failed')).toBeInTheDocument();
    expect(three!.queryByText(/offsite/)).toBeNull();
  });

  it('lists backups with method, sizes, status, verification and class, linking to details', () => {
    const failed = backup({ id: 'b2', status: 'failed', class: 'disk_full', verification: null, error: failure({ class: 'disk_full' }) });
    const full = backup({ id: 'b3', method: 'physical' });
    const incremental = backup({ id: 'b4', method: 'physical', chain: { baseId: 'b3', previousId: 'b3', position: 1 } });
    renderAt(<BackupsTable slot={3} backups={[backup(), failed, full, incremental]} />);
    const [ok, bad, physical, chained] = screen.getAllByRole('row').slice(1).map((r) => within(r));
    expect(ok!.getByText('single-stream')).toBeInTheDocument();
    expect(physical!.getByText('physical')).toBeInTheDocument();
    expect(chained!.getByText('physical, incremental of b3')).toBeInTheDocument();
    expect(ok!.getByText('3.0 MiB')).toBeInTheDocument();
    expect(ok!.getByText('/ 20.0 MiB')).toBeInTheDocument();
    expect(ok!.getByText('42 s')).toBeInTheDocument();
    expect(ok!.getByText('success')).toBeInTheDocument();
    expect(ok!.getByText('parse ✓')).toBeInTheDocument();
    expect(bad!.getByText('failed')).toBeInTheDocument();
    expect(bad!.getByText('disk_full')).toBeInTheDocument();
    expect(bad!.getByText('not verified')).toBeInTheDocument();
    expect(bad!.getByRole('link')).toHaveAttribute('href', '/a/warden-mysqlbackup-app/backup/3/b2');
  });
});

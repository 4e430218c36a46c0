import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { backup, failure } from '../../test/fixtures';
import { renderAt } from '../../test/render';
import { BackupsTable } from './BackupsTable';

describe('BackupsTable', () => {
  it('lists backups with sizes, status, verification and class, linking to details', () => {
    const failed = backup({ id: 'b2', status: 'failed', class: 'disk_full', verification: null, error: failure({ class: 'disk_full' }) });
    renderAt(<BackupsTable slot={3} backups={[backup(), failed]} />);
    const [ok, bad] = screen.getAllByRole('row').slice(1).map((r) => within(r));
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

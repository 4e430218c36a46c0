import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { manifest } from '../../test/fixtures';
import { BackupFacts } from './BackupFacts';

describe('BackupFacts', () => {
  it('shows binlog position, tool and server versions and checksums', () => {
    render(<BackupFacts manifest={manifest()} />);
    expect(screen.getByText('binlog.000042:1337 · GTID 0-1-4242')).toBeInTheDocument();
    expect(screen.getByText('mariadb-dump (mariadb-dump from 11.8.3-MariaDB)')).toBeInTheDocument();
    expect(screen.getByText('127.0.0.1:3306 · 10.11.6-MariaDB')).toBeInTheDocument();
    expect(screen.getByText('120,000 in 2 tables')).toBeInTheDocument();
    expect(screen.getAllByText('a'.repeat(64))).toHaveLength(2);
    expect(screen.getByRole('table', { name: 'Files' })).toHaveTextContent('dump.sql.zst');
  });

  it('says the method, and the full backup a physical incremental continues', () => {
    const chain = { baseId: '20250301T000000Z-shop', previousId: '20250301T000000Z-shop', position: 1 };
    render(<BackupFacts manifest={manifest({ method: 'physical', compression: 'zstd', chain })} />);
    expect(screen.getByText('physical, incremental of 20250301T000000Z-shop, zstd')).toBeInTheDocument();
  });

  it('says when no binlog position was recorded', () => {
    render(<BackupFacts manifest={manifest({ binlog: null })} />);
    expect(screen.getByText('not recorded (binary log off)')).toBeInTheDocument();
  });
});

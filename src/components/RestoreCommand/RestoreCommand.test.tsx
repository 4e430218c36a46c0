import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RestoreCommand } from './RestoreCommand';

describe('RestoreCommand', () => {
  it('offers one command per database to copy', () => {
    render(<RestoreCommand id="b1" target="shop" databases={['shop', 'shop_archive']} />);
    expect(screen.getByText('warden restore b1 --target shop --database shop')).toBeInTheDocument();
    expect(screen.getByText('warden restore b1 --target shop --database shop_archive')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /copy/i })).toHaveLength(2);
  });

  it('leaves a placeholder when the databases are unknown', () => {
    render(<RestoreCommand id="b1" target="shop" databases={[]} />);
    expect(screen.getByText('warden restore b1 --target shop --database <name>')).toBeInTheDocument();
  });
});

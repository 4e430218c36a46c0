import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { backup } from '../../test/fixtures';
import { Freshness } from './Freshness';

const ago = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

describe('Freshness', () => {
  it('shows the age of the last good backup within its RPO', () => {
    render(<Freshness lastSuccess={backup({ finishedAt: ago(3) })} rpoSeconds={26 * 3600} />);
    expect(screen.getByTestId('freshness')).toHaveTextContent('3 h ago · RPO 1 d 2 h');
  });

  it('says when the RPO is exceeded', () => {
    render(<Freshness lastSuccess={backup({ finishedAt: ago(30) })} rpoSeconds={26 * 3600} />);
    expect(screen.getByTestId('freshness')).toHaveTextContent('1 d 6 h ago · RPO 1 d 2 h, exceeded');
  });

  it('says when there is no good backup', () => {
    render(<Freshness lastSuccess={null} rpoSeconds={null} />);
    expect(screen.getByText('no good backup yet')).toBeInTheDocument();
  });
});

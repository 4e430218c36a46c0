import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { manifest } from '../../test/fixtures';
import { Attempts } from './Attempts';

describe('Attempts', () => {
  it('shows every attempt with its class and hint', () => {
    render(<Attempts attempts={manifest().attempts} />);
    expect(screen.getByText(/Attempt 1/)).toBeInTheDocument();
    expect(screen.getByText('connection')).toBeInTheDocument();
    expect(screen.getByText(/Check that the server is up/)).toBeInTheDocument();
    expect(screen.getByText(/Attempt 2 · succeeded/)).toBeInTheDocument();
  });
});

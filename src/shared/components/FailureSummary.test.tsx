import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { failure } from '../../test/fixtures';
import { FailureSummary } from './FailureSummary';

describe('FailureSummary', () => {
  it('shows the class, the hint and the message with its code', () => {
    render(<FailureSummary failure={failure()} />);
    expect(screen.getByText('auth')).toBeInTheDocument();
    expect(screen.getByText(/Fix the credentials of the backup user/)).toBeInTheDocument();
    expect(screen.getByText(/\[1045\] Access denied/)).toBeInTheDocument();
  });

  it('marks a failure that a later success resolved', () => {
    render(<FailureSummary failure={failure()} at={new Date().toISOString()} resolved />);
    expect(screen.getByText(/resolved since/)).toBeInTheDocument();
  });
});

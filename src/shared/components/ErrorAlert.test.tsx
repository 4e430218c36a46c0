import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AgentError } from '../api/errors';
import { AGENT } from '../../test/fixtures';
import { ErrorAlert, InlineError } from './ErrorAlert';

describe('ErrorAlert', () => {
  it('explains an unreachable agent and retries', async () => {
    const onRetry = vi.fn();
    render(<ErrorAlert error={new AgentError('unreachable', 'Bad Gateway', 502)} agent={AGENT} onRetry={onRetry} />);
    expect(screen.getByText('Cannot reach agent "db-host-1"')).toBeInTheDocument();
    expect(screen.getByText(/warden serve/)).toHaveTextContent('http://10.0.0.5:9207');
    await userEvent.click(screen.getByRole('button', { name: /retry/i }));
    expect(onRetry).toHaveBeenCalled();
  });

  it('points to the configuration when the token is rejected', () => {
    render(<ErrorAlert error={new AgentError('unauthorized', 'missing or invalid token', 401)} agent={AGENT} />);
    expect(screen.getByText('Agent "db-host-1" rejected the API token')).toBeInTheDocument();
    expect(screen.getByText(/app configuration/)).toBeInTheDocument();
  });

  it('says the same in one line under a button', () => {
    render(<InlineError error={new AgentError('forbidden', 'plugin proxy route access denied', 403)} />);
    expect(screen.getByText(/^Your role does not allow this: .*Editor role/)).toBeInTheDocument();
  });
});

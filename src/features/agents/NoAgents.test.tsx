import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NoAgents } from './NoAgents';

describe('NoAgents', () => {
  it('links to the configuration page', () => {
    render(<NoAgents />);
    expect(screen.getByText('No Warden agent is connected yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /add an agent/i })).toHaveAttribute('href', '/plugins/warden-mysqlbackup-app');
  });
});

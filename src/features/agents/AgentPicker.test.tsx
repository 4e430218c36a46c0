import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { AGENT } from '../../test/fixtures';
import { AgentPicker } from './AgentPicker';

describe('AgentPicker', () => {
  it('is absent with a single agent', () => {
    const { container } = render(<AgentPicker agents={[AGENT]} slot={0} onChange={vi.fn()} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('switches between agents', async () => {
    const onChange = vi.fn();
    render(<AgentPicker agents={[AGENT, { slot: 2, name: 'db-host-2', url: 'http://b:9207' }]} slot={0} onChange={onChange} />);
    await userEvent.click(screen.getByLabelText('Agent'));
    await userEvent.click(await screen.findByText('db-host-2'));
    expect(onChange).toHaveBeenCalledWith(2);
  });
});

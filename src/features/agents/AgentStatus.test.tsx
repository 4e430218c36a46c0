import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AgentClient } from '../../shared/api/client';
import { agentPath, mockBackendSrv, network, ok, pending, status } from '../../test/backendSrv';
import { AGENT, hoursAgo } from '../../test/fixtures';
import { AgentStatus } from './AgentStatus';

const health = (readyz: Parameters<typeof mockBackendSrv>[0][string], about: Parameters<typeof mockBackendSrv>[0][string]) =>
  mockBackendSrv({
    [`GET ${agentPath('/healthz')}`]: ok({ status: 'ok' }),
    [`GET ${agentPath('/readyz')}`]: readyz,
    [`GET ${agentPath('/api/v1/agent')}`]: about,
  });

const group = async () => within(await screen.findByRole('group', { name: 'Health of agent db-host-1' }));

describe('AgentStatus', () => {
  it('says it is checking until the agent answers', () => {
    mockBackendSrv({ [`GET ${agentPath('/healthz')}`]: pending });
    render(<AgentStatus client={new AgentClient(AGENT)} />);
    expect(screen.getByText('Checking the agent…')).toBeInTheDocument();
  });

  it('shows a ready agent with its version and start', async () => {
    const startedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    health(ok({ status: 'ready' }), ok({ version: '0.1.0', configFile: '/etc/warden.yaml', startedAt }));
    render(<AgentStatus client={new AgentClient(AGENT)} />);
    const agent = await group();
    expect(agent.getByText('Ready')).toBeInTheDocument();
    expect(agent.getByText(/Warden 0\.1\.0 · started/)).toHaveTextContent('Warden 0.1.0 · started 3 h ago');
  });

  it('lists the problems of an agent that is not ready', async () => {
    const problems = ['the repository /backups is not writable (EACCES)'];
    health(status(503, { status: 'not ready', problems }), ok({ version: '0.1.0', configFile: '/c', startedAt: hoursAgo(1) }));
    render(<AgentStatus client={new AgentClient(AGENT)} />);
    const agent = await group();
    expect(agent.getByText('Not ready')).toBeInTheDocument();
    expect(within(agent.getByRole('list', { name: 'Problems' })).getByText(problems[0]!)).toBeInTheDocument();
  });

  it('says when the version is unknown', async () => {
    health(ok({ status: 'ready' }), status(404, { error: { message: 'no route', code: 'not_found' } }));
    render(<AgentStatus client={new AgentClient(AGENT)} />);
    expect((await group()).getByText('version unknown')).toBeInTheDocument();
  });

  it('says when the agent does not answer', async () => {
    mockBackendSrv({ [`GET ${agentPath('/healthz')}`]: network });
    render(<AgentStatus client={new AgentClient(AGENT)} />);
    expect((await group()).getByText('Not answering')).toBeInTheDocument();
  });
});

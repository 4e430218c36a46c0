import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AgentClient } from '../../shared/api/client';
import { agentError, agentPath, mockBackendSrv, network, ok, status } from '../../test/backendSrv';
import { AGENT } from '../../test/fixtures';
import { useAgentStatus } from './useAgentStatus';

const INFO = { version: '0.1.0', configFile: '/etc/warden.yaml', startedAt: '2025-03-01T09:00:00Z' };
const HEALTHZ = `GET ${agentPath('/healthz')}`;
const READYZ = `GET ${agentPath('/readyz')}`;
const ABOUT = `GET ${agentPath('/api/v1/agent')}`;

describe('useAgentStatus', () => {
  it('asks /healthz, then /readyz and the version', async () => {
    const calls = mockBackendSrv({ [HEALTHZ]: ok({ status: 'ok' }), [READYZ]: ok({ status: 'ready' }), [ABOUT]: ok(INFO) });
    const client = new AgentClient(AGENT);
    const { result } = renderHook(() => useAgentStatus(client));
    await waitFor(() => expect(result.current.value).toEqual({ ready: true, problems: [], info: INFO }));
    expect(calls.map((c) => c.url)).toEqual([agentPath('/healthz'), agentPath('/readyz'), agentPath('/api/v1/agent')]);
  });

  it('does without the version of an agent that has no /api/v1/agent', async () => {
    mockBackendSrv({
      [HEALTHZ]: ok({ status: 'ok' }),
      [READYZ]: status(503, { status: 'not ready', problems: ['the agent is shutting down'] }),
      [ABOUT]: agentError(404, 'not_found', 'no such route'),
    });
    const client = new AgentClient(AGENT);
    const { result } = renderHook(() => useAgentStatus(client));
    await waitFor(() => expect(result.current.value).toEqual({ ready: false, problems: ['the agent is shutting down'], info: null }));
  });

  it('is an error while the agent does not answer, and asks again later', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = mockBackendSrv({ [HEALTHZ]: network });
    const client = new AgentClient(AGENT);
    const { result } = renderHook(() => useAgentStatus(client));
    await waitFor(() => expect(result.current.error).toMatchObject({ kind: 'unreachable' }));
    expect(calls).toHaveLength(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    expect(calls).toHaveLength(2);
  });
});

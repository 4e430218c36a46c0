import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentClient } from '../../shared/api/client';
import { agentPath, mockBackendSrv, ok } from '../../test/backendSrv';
import { FakeEventSource } from '../../test/eventSource';
import { AGENT, target } from '../../test/fixtures';
import { pollInterval } from '../../shared/hooks/useAgentEvents';
import { useTargets } from './useTargets';

describe('useTargets', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('patches progress in place and reloads on other events', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const running = target({ state: 'running', running: { id: 'r1', kind: 'backup', startedAt: '', progress: null } });
    const calls = mockBackendSrv({ [`GET ${agentPath('/api/v1/targets')}`]: ok({ targets: [running] }) });
    const client = new AgentClient(AGENT);
    const { result } = renderHook(() => useTargets(client));
    await waitFor(() => expect(result.current.value).toHaveLength(1));
    const progress = { rawBytes: 1, bytes: 1, tablesDone: 1, tablesTotal: 2, currentTable: 't' };
    act(() => {
      FakeEventSource.last!.onopen?.();
      FakeEventSource.last!.emit('run-progress', { id: 'r1', target: 'shop', progress });
    });
    expect(result.current.live).toBe(true);
    expect(result.current.value![0]!.running!.progress).toEqual(progress);
    expect(calls).toHaveLength(1);
    act(() => FakeEventSource.last!.emit('run-finished', { id: 'r1', target: 'shop', kind: 'backup', status: 'success' }));
    await waitFor(() => expect(calls).toHaveLength(2));
  });

  it('polls fast only while something runs and no events arrive', () => {
    expect(pollInterval(true, false)).toBe(2_000);
    expect(pollInterval(false, false)).toBe(15_000);
    expect(pollInterval(true, true)).toBe(10_000);
    expect(pollInterval(false, true)).toBe(60_000);
  });
});

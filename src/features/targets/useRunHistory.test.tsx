import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AgentClient } from '../../shared/api/client';
import { agentPath, mockBackendSrv, ok } from '../../test/backendSrv';
import { AGENT, backup, target } from '../../test/fixtures';
import { useRunHistory } from './useRunHistory';

const BACKUPS = `GET ${agentPath('/api/v1/backups')}`;

describe('useRunHistory', () => {
  it("asks for the target's last 30 runs and gives them oldest first", async () => {
    const calls = mockBackendSrv({ [BACKUPS]: ok({ backups: [backup({ id: 'new' }), backup({ id: 'old' })] }) });
    const client = new AgentClient(AGENT);
    const shop = target();
    const { result } = renderHook(() => useRunHistory(client, shop));
    await waitFor(() => expect(result.current.value?.map((b) => b.id)).toEqual(['old', 'new']));
    expect(calls.map((c) => c.params)).toEqual([{ target: 'shop', limit: 30 }]);
  });

  it('reloads when a run of the target starts or ends, not on other changes', async () => {
    const calls = mockBackendSrv({ [BACKUPS]: ok({ backups: [backup()] }) });
    const client = new AgentClient(AGENT);
    const { result, rerender } = renderHook(({ t }) => useRunHistory(client, t), { initialProps: { t: target() } });
    await waitFor(() => expect(result.current.value).toHaveLength(1));
    rerender({ t: target({ state: 'stale' }) });
    await act(async () => undefined);
    expect(calls).toHaveLength(1);
    rerender({ t: target({ running: { id: 'r2', kind: 'backup', startedAt: '', progress: null } }) });
    await waitFor(() => expect(calls).toHaveLength(2));
    rerender({ t: target({ lastRun: backup({ id: 'r2', status: 'failed' }) }) });
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(result.current.loading).toBe(false);
  });
});

// Several Warden panels on one dashboard: one event stream for their agent, and each says whether
// it is live.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toJsonData } from '../shared/api/settings';
import { agentPath, mockBackendSrv, ok } from '../test/backendSrv';
import { FakeEventSource } from '../test/eventSource';
import { AGENT, failingTarget, target } from '../test/fixtures';
import { panelProps } from '../test/panel';
import { renderAt, setRole } from '../test/render';
import type { AgentPanelOptions } from './options';
import { ControlPanel, type ControlOptions } from './backupcontrol/ControlPanel';
import { StatusPanel } from './backupstatus/StatusPanel';

function Dashboard() {
  return (
    <>
      <section aria-label="status shop">
        <StatusPanel {...panelProps<AgentPanelOptions>({ targets: ['shop'] })} />
      </section>
      <section aria-label="status crm">
        <StatusPanel {...panelProps<AgentPanelOptions>({ targets: ['crm'] })} />
      </section>
      <section aria-label="control">
        <ControlPanel {...panelProps<ControlOptions>({ verifyLevel: 'parse' })} />
      </section>
    </>
  );
}
const PANELS = ['status shop', 'status crm', 'control'];
const badgesReading = (text: string) => PANELS.filter((name) => within(screen.getByRole('region', { name })).queryByText(text));

describe('panels on one dashboard', () => {
  beforeEach(() => {
    setRole('Viewer');
    vi.stubGlobal('EventSource', FakeEventSource);
    mockBackendSrv({
      'GET /api/plugins/warden-mysqlbackup-app/settings': ok({ enabled: true, jsonData: toJsonData([AGENT]) }),
      [`GET ${agentPath('/api/v1/targets')}`]: ok({ targets: [target(), failingTarget()] }),
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('share one event stream of their agent, and show it live or reconnecting', async () => {
    const before = FakeEventSource.opened;
    const { unmount } = renderAt(<Dashboard />);
    await screen.findByTestId('control-crm');
    await screen.findByTestId('status-crm');
    expect(FakeEventSource.opened - before).toBe(1);
    const source = FakeEventSource.last!;
    expect(badgesReading('Live')).toEqual([]);

    act(() => source.onopen?.());
    await waitFor(() => expect(badgesReading('Live')).toEqual(PANELS));
    act(() => source.onerror?.());
    await waitFor(() => expect(badgesReading('Reconnecting')).toEqual(PANELS));
    expect(badgesReading('Live')).toEqual([]);

    unmount();
    expect(source.closed).toBe(true);
    expect(FakeEventSource.opened - before).toBe(1);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { agentError, agentPath, mockBackendSrv, network, ok, status } from '../../test/backendSrv';
import { FakeEventSource } from '../../test/eventSource';
import { AGENT, backup, target } from '../../test/fixtures';
import { AgentClient, getAppSettings, saveAppSettings } from './client';
import { AgentError, describeError } from './errors';
import type { StreamState } from './eventStreams';
import type { AgentEvent } from '../../../backend/src/contract/index.js';

const client = new AgentClient(AGENT);

async function failure(promise: Promise<unknown>): Promise<AgentError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgentError);
  return err as AgentError;
}

describe('AgentClient', () => {
  it('reads targets through the plugin proxy route of its slot', async () => {
    const calls = mockBackendSrv({ [`GET ${agentPath('/api/v1/targets', 0)}`]: ok({ targets: [target()] }) });
    const targets = await client.listTargets();
    expect(targets.map((t) => t.name)).toEqual(['shop']);
    expect(calls[0]).toMatchObject({ url: '/api/plugin-proxy/warden-mysqlbackup-app/agent/0/api/v1/targets', showErrorAlert: false });
  });

  it('uses the slot, not the position, of an agent', async () => {
    const calls = mockBackendSrv({ [`GET ${agentPath('/healthz', 5)}`]: ok({ status: 'ok' }) });
    await new AgentClient({ slot: 5, name: 'x', url: 'http://x' }).health();
    expect(calls[0]!.url).toBe('/api/plugin-proxy/warden-mysqlbackup-app/agent/5/healthz');
  });

  it('reads what the agent says about itself', async () => {
    const about = { version: '0.1.0', configFile: '/etc/warden/warden.yaml', startedAt: '2025-03-01T11:00:00.000Z' };
    mockBackendSrv({ [`GET ${agentPath('/api/v1/agent')}`]: ok(about) });
    expect(await client.agentInfo()).toEqual(about);
  });

  it('passes only the filters that are set', async () => {
    const calls = mockBackendSrv({ [`GET ${agentPath('/api/v1/backups')}`]: ok({ backups: [backup()] }) });
    await client.listBackups({ target: 'shop', status: undefined, limit: 50 });
    expect(calls[0]!.params).toEqual({ target: 'shop', limit: 50 });
  });

  it('escapes ids in paths', async () => {
    const calls = mockBackendSrv({ [`GET ${agentPath('/api/v1/backups/a%2Fb/log')}`]: ok({ lines: [] }) });
    expect(await client.getBackupLog('a/b')).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('starts, verifies and deletes with the right verbs and bodies', async () => {
    const calls = mockBackendSrv({
      [`POST ${agentPath('/api/v1/targets/shop/backups')}`]: ok({ id: 'b9', target: 'shop' }),
      [`POST ${agentPath('/api/v1/backups/b9/verify')}`]: ok({ id: 'b9', level: 'checksum' }),
      [`DELETE ${agentPath('/api/v1/backups/b9')}`]: ok({ deleted: 'b9', freedBytes: 10 }),
    });
    expect(await client.startBackup('shop')).toEqual({ id: 'b9', target: 'shop' });
    await client.verifyBackup('b9', 'checksum');
    expect(await client.deleteBackup('b9')).toEqual({ deleted: 'b9', freedBytes: 10 });
    expect(calls.map((c) => [c.method, c.data])).toEqual([
      ['POST', {}],
      ['POST', { level: 'checksum' }],
      ['DELETE', undefined],
    ]);
  });

  it('reads and saves the app settings', async () => {
    const calls = mockBackendSrv({
      'GET /api/plugins/warden-mysqlbackup-app/settings': ok({ enabled: true, jsonData: { agents: [AGENT] } }),
      'POST /api/plugins/warden-mysqlbackup-app/settings': ok({}),
    });
    expect((await getAppSettings()).jsonData?.agents).toEqual([AGENT]);
    await saveAppSettings({ enabled: true, jsonData: {}, secureJsonData: { agent0Token: 't' } });
    expect(calls[1]).toMatchObject({ method: 'POST', data: { secureJsonData: { agent0Token: 't' } } });
  });
});

describe('errors', () => {
  const TARGETS = `GET ${agentPath('/api/v1/targets')}`;

  it('treats a network failure as unreachable', async () => {
    mockBackendSrv({ [TARGETS]: network });
    const err = await failure(client.listTargets());
    expect(err.kind).toBe('unreachable');
    expect(describeError(err, AGENT).title).toBe('Cannot reach agent "db-host-1"');
  });

  it("treats Grafana's 502 (agent down behind the proxy) as unreachable", async () => {
    mockBackendSrv({ [TARGETS]: status(502, { message: 'Bad Gateway' }) });
    expect((await failure(client.listTargets())).kind).toBe('unreachable');
  });

  it("reports the agent's 401 as a token problem", async () => {
    mockBackendSrv({ [TARGETS]: agentError(401, 'unauthorized', 'missing or invalid bearer token') });
    const err = await failure(client.listTargets());
    expect(err.kind).toBe('unauthorized');
    expect(describeError(err, AGENT).hint).toMatch(/token/);
  });

  it("reports Grafana's route refusal as a role problem", async () => {
    mockBackendSrv({ [`POST ${agentPath('/api/v1/targets/shop/backups')}`]: status(403, { message: 'plugin proxy route access denied' }) });
    const err = await failure(client.startBackup('shop'));
    expect(err.kind).toBe('forbidden');
    expect(describeError(err).hint).toMatch(/Editor/);
  });

  it('says which role deleting needs when Grafana refuses it', async () => {
    mockBackendSrv({ [`DELETE ${agentPath('/api/v1/backups/b1')}`]: status(403, { message: 'plugin proxy route access denied' }) });
    expect(describeError(await failure(client.deleteBackup('b1'))).hint).toMatch(/deleting needs the Admin role/);
  });

  it("explains the agent's 421: the agent URL uses a host name the agent does not answer to", async () => {
    mockBackendSrv({ [TARGETS]: agentError(421, 'misdirected', 'this agent does not answer to the host name in the request; …') });
    const err = await failure(client.listTargets());
    expect(err.kind).toBe('misdirected');
    expect(describeError(err, AGENT)).toEqual({
      title: 'Agent "db-host-1" does not answer to the host name 10.0.0.5',
      hint: "Add 10.0.0.5 to api.allowedHosts in the agent's configuration and restart it, or use a URL with a name it answers to.",
    });
  });

  it("tells the agent's 404 from Grafana's missing route", async () => {
    mockBackendSrv({
      [`GET ${agentPath('/api/v1/backups/nope')}`]: agentError(404, 'not_found', 'no backup nope'),
      [TARGETS]: status(404, { message: 'plugin route match not found' }),
    });
    expect((await failure(client.getBackup('nope'))).kind).toBe('not_found');
    expect((await failure(client.listTargets())).kind).toBe('not_configured');
  });

  it('treats an unset route URL as not configured', async () => {
    mockBackendSrv({ [TARGETS]: status(500, { message: 'Could not interpolate plugin route url' }) });
    expect((await failure(client.listTargets())).kind).toBe('not_configured');
  });

  it('keeps the id of the run in the way on 409', async () => {
    mockBackendSrv({
      [`POST ${agentPath('/api/v1/targets/shop/backups')}`]: agentError(409, 'conflict', 'already running', { id: 'r1' }),
    });
    const err = await failure(client.startBackup('shop'));
    expect(err).toMatchObject({ kind: 'conflict', runningId: 'r1', message: 'already running' });
  });

  it("shows the agent's message for its own failures", async () => {
    mockBackendSrv({ [TARGETS]: agentError(500, 'internal', 'catalog unreadable') });
    const err = await failure(client.listTargets());
    expect(describeError(err, AGENT)).toEqual({
      title: 'Agent "db-host-1" failed (HTTP 500)',
      hint: "catalog unreadable. The agent's log has the details.",
    });
  });
});

describe('AgentClient.subscribe', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("opens the agent's event stream through the proxy and parses its events", () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const events: AgentEvent[] = [];
    const states: StreamState[] = [];
    const unsubscribe = client.subscribe({ onEvent: (e) => events.push(e), onState: (s) => states.push(s) });
    const source = FakeEventSource.last!;
    expect(source.url).toBe('/api/plugin-proxy/warden-mysqlbackup-app/agent/0/api/v1/events');
    source.onopen?.();
    source.emit('run-started', { id: 'r1', target: 'shop', kind: 'backup', startedAt: 'now' });
    expect(events).toEqual([{ type: 'run-started', id: 'r1', target: 'shop', kind: 'backup', startedAt: 'now' }]);
    expect(states).toEqual(['connecting', 'live']);
    unsubscribe();
    expect(source.closed).toBe(true);
  });

  it('shares one stream between the clients of one agent, and not with another agent', () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    const before = FakeEventSource.opened;
    const stops = [client, new AgentClient(AGENT), new AgentClient({ ...AGENT, slot: 3 })].map((c) => c.subscribe({}));
    expect(FakeEventSource.opened - before).toBe(2);
    for (const stop of stops) stop();
  });
});

import { describe, expect, it } from 'vitest';
import { AgentError } from '../../shared/api/errors';
import { agentPath, mockBackendSrv, network, ok, status } from '../../test/backendSrv';
import { AGENT } from '../../test/fixtures';
import { readiness } from './readiness';

const READYZ = `GET ${agentPath('/readyz')}`;

describe('readiness', () => {
  it('is ready when /readyz answers 200', async () => {
    const calls = mockBackendSrv({ [READYZ]: ok({ status: 'ready' }) });
    expect(await readiness(AGENT)).toEqual({ ready: true, problems: [] });
    expect(calls.map((c) => c.url)).toEqual([agentPath('/readyz')]);
  });

  it("keeps the agent's problems from its 503", async () => {
    const problems = ['the repository /backups is not writable (EACCES)'];
    mockBackendSrv({ [READYZ]: status(503, { status: 'not ready', problems }) });
    expect(await readiness(AGENT)).toEqual({ ready: false, problems });
  });

  it('fails as an agent error when nothing answers', async () => {
    mockBackendSrv({ [READYZ]: network });
    await expect(readiness(AGENT)).rejects.toMatchObject({ kind: 'unreachable' });
    mockBackendSrv({ [READYZ]: status(503, { message: 'Service Unavailable' }) });
    await expect(readiness(AGENT)).rejects.toBeInstanceOf(AgentError);
  });
});

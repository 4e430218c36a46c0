import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datadirCheck } from './physical.js';

const here = mkdtempSync(path.join(os.tmpdir(), 'warden-datadir-'));
afterAll(() => rmSync(here, { recursive: true, force: true }));

describe('the datadir check of a physical target', () => {
  it('passes a datadir this host can read, on the host the server names', async () => {
    expect(await datadirCheck(here, os.hostname())).toMatchObject({ status: 'OK', detail: `${here} is readable on this host` });
  });

  it('says the agent is not on the database host when the datadir is not here', async () => {
    const c = await datadirCheck(path.join(here, 'var-lib-mysql'), 'db-7');
    expect(c).toMatchObject({ status: 'FAIL', class: 'config' });
    expect(c.detail).toBe(`the server's datadir ${path.join(here, 'var-lib-mysql')} is not on this machine (the server runs on db-7)`);
    expect(c.hint).toMatch(/^Run the agent on the database host/);
  });

  it('warns when a folder of that name is here but the server runs elsewhere', async () => {
    const c = await datadirCheck(here, `not-${os.hostname()}`);
    expect(c).toMatchObject({ status: 'WARN' });
    expect(c.detail).toContain(`the server says it runs on not-${os.hostname()}`);
  });
});

// The repository as the file system holds it, not as manifests claim: a manifest that disagrees
// with its folder is damaged, a symlinked run or manifest is refused, a crashed run is shown as
// interrupted everywhere, and what the server wrote reaches the terminal without its escapes.
import { mkdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeManifest } from '../backend/src/catalog/store.js';
import { fakeRun } from './helpers/catalog.js';
import { request, serve } from './helpers/serve.js';
import { makeWorkspace, runWarden } from './helpers/warden.js';

const target = { name: 'shop', host: '127.0.0.1', port: 1, user: 'backup', databases: ['shop'] };

function editManifest(dir: string, change: (m: Record<string, unknown>) => void): void {
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(m);
  writeFileSync(file, JSON.stringify(m));
}

describe('a manifest that disagrees with its folder', () => {
  it.each([
    ['id', (m: Record<string, unknown>, other: string) => (m.id = other)],
    ['target', (m: Record<string, unknown>) => (m.target = 'billing')],
  ] as const)('(%s) is listed as damaged, and expire still works', async (_field, change) => {
    const ws = makeWorkspace([target, { ...target, name: 'billing' }]);
    const good = fakeRun(ws.repository, 'shop', { startedAt: '2026-11-01T02:00:00Z' });
    const old = fakeRun(ws.repository, 'shop', { startedAt: '2026-10-01T02:00:00Z', status: 'failed' });
    editManifest(old.dir, (m) => change(m, good.id));

    const list = await runWarden(['list', '--config', ws.config, '--json']);
    expect(list.code).toBe(0);
    expect(list.json.backups.map((b: { id: string }) => b.id)).toEqual([good.id]);
    expect(list.json.unreadable).toEqual([{ dir: old.dir, error: expect.stringMatching(/disagrees with its folder/) }]);

    const expire = await runWarden(['expire', '--config', ws.config, '--json']);
    expect(expire.code, expire.stdout + expire.stderr).toBe(0);
    expect(expire.json).toBeTruthy();
  });
});

describe('symbolic links in the repository', () => {
  it('refuses a symlinked run folder and a symlinked manifest, in the CLI and the API', async () => {
    const ws = makeWorkspace([target]);
    const outside = makeWorkspace([target]);
    const real = fakeRun(outside.repository, 'shop', { startedAt: '2026-11-01T02:00:00Z' });
    mkdirSync(path.join(ws.repository, 'shop'), { recursive: true, mode: 0o700 });
    symlinkSync(real.dir, path.join(ws.repository, 'shop', real.id));

    const linked = fakeRun(ws.repository, 'shop', { startedAt: '2026-11-02T02:00:00Z' });
    const stolen = path.join(outside.dir, 'manifest.json');
    renameSync(path.join(linked.dir, 'manifest.json'), stolen);
    symlinkSync(stolen, path.join(linked.dir, 'manifest.json'));
    const ownBytes = ['dump.sql', 'log.jsonl'].reduce((n, f) => n + statSync(path.join(linked.dir, f)).size, 0);

    const list = await runWarden(['list', '--config', ws.config, '--json']);
    expect(list.json.backups).toEqual([]);
    expect(list.json.unreadable).toEqual([{ dir: linked.dir, error: expect.stringMatching(/symbolic link/) }]);

    const verify = await runWarden(['verify', real.id, '--config', ws.config, '--json']);
    expect(verify.code).not.toBe(0);

    const agent = await serve(ws.config);
    try {
      for (const id of [real.id, linked.id]) expect((await request(agent, 'GET', `/api/v1/backups/${id}`)).status).toBe(404);
      expect((await request(agent, 'GET', `/api/v1/backups/${linked.id}/log`)).status).toBe(200);
      expect((await request(agent, 'DELETE', `/api/v1/backups/${real.id}`)).status).toBe(404);
      // The damaged run's own folder may go; it frees its own files, not what its link points at.
      const del = await request(agent, 'DELETE', `/api/v1/backups/${linked.id}`);
      expect(del.status).toBe(200);
      expect(del.json.freedBytes).toBe(ownBytes);
    } finally {
      await agent.stop();
    }
    // Nothing outside the repository was touched.
    expect(readFileSync(path.join(real.dir, 'manifest.json'), 'utf8')).toContain(real.id);
    expect(readFileSync(stolen, 'utf8')).toContain(linked.id);
  });
});

describe('warden list', () => {
  it('shows a run left running by a dead agent as interrupted, like the API', async () => {
    const ws = makeWorkspace([target]);
    const crashed = fakeRun(ws.repository, 'shop', { startedAt: '2026-11-01T02:00:00Z', status: 'running' });
    const json = await runWarden(['list', '--config', ws.config, '--json']);
    expect(json.json.backups[0]).toMatchObject({ id: crashed.id, status: 'interrupted' });
    const text = await runWarden(['list', '--config', ws.config]);
    expect(text.stdout).toMatch(new RegExp(`${crashed.id}\\s+shop\\s+interrupted`));
  });

  it('never passes terminal escapes from server messages to the terminal', async () => {
    const ws = makeWorkspace([target]);
    const run = fakeRun(ws.repository, 'shop', { startedAt: '2026-11-01T02:00:00Z', status: 'failed' });
    const hostile = 'Unknown database \u001b]2;pwned\u0007\u001b[2J\u009b31m\u202eevil';
    editManifest(run.dir, (m) => ((m.error as { message: string }).message = hostile));
    const text = await runWarden(['list', '--config', ws.config]);
    expect(text.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text.stdout).toContain('\\u001b]2;pwned\\u0007');
    const json = await runWarden(['list', '--config', ws.config, '--json']);
    expect(json.json.backups[0].error.message).toBe(hostile);
  });
});

describe('writing a manifest', () => {
  it('refuses to publish one that breaks the contract, and leaves the one on disk as it was', async () => {
    const ws = makeWorkspace([target]);
    const run = fakeRun(ws.repository, 'shop', { startedAt: '2026-11-01T02:00:00Z' });
    const before = readFileSync(path.join(run.dir, 'manifest.json'), 'utf8');
    await expect(writeManifest(run.dir, { ...run.manifest, bytes: -1 })).rejects.toThrow(/bytes/);
    await expect(writeManifest(run.dir, { ...run.manifest, class: 'mystery' as never })).rejects.toThrow(/class/);
    expect(readFileSync(path.join(run.dir, 'manifest.json'), 'utf8')).toBe(before);
    // A running run's manifest is rewritten after every table and is not checked each time.
    await writeManifest(run.dir, { ...run.manifest, status: 'running', bytes: 7 });
    expect(JSON.parse(readFileSync(path.join(run.dir, 'manifest.json'), 'utf8'))).toMatchObject({ status: 'running', bytes: 7 });
  });
});

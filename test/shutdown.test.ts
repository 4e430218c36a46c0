// SIGTERM while a backup runs: the agent stops the dump, records the run as interrupted and exits
// within 10 s.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSampleShop } from './harness/fixtures.js';
import { useMariaDB } from './harness/mariadb.js';
import { lockTable, waitForLockWait } from './helpers/faults.js';
import { dumpProcessFor, waitFor } from './helpers/proc.js';
import { openEvents, request, serve } from './helpers/serve.js';
import { makeWorkspace, targetFor } from './helpers/warden.js';

const getServer = useMariaDB();

beforeAll(async () => {
  await loadSampleShop(getServer(), 'shop');
});

describe('warden serve: graceful shutdown', () => {
  it('on SIGTERM during a backup, records it as interrupted and exits within 10 s', async () => {
    const server = getServer();
    const ws = makeWorkspace([targetFor(server, 'shop', { databases: ['shop'] })]);
    const s = await serve(ws.config);
    const events = await openEvents(s);
    const release = await lockTable(server, 'shop.orders');
    try {
      const r = await request(s, 'POST', '/api/v1/targets/shop/backups');
      expect(r.status).toBe(202);
      await waitForLockWait(server, 'shop.orders');
      expect(dumpProcessFor(server.port)).toBeDefined();

      const t0 = Date.now();
      const result = await s.stop('SIGTERM');
      const seconds = (Date.now() - t0) / 1000;
      expect(seconds).toBeLessThan(10);
      expect(result.code, result.stderr).toBe(0);

      const manifest = JSON.parse(readFileSync(path.join(ws.repository, 'shop', r.json.id, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ id: r.json.id, status: 'interrupted', class: 'killed' });
      expect(manifest.finishedAt).not.toBeNull();
      // The event stream saw the end before it was closed.
      expect(events.events.find((e) => e.name === 'run-finished' && e.data.id === r.json.id)?.data).toMatchObject({ status: 'interrupted' });
      expect(s.logLines().some((l) => l.msg === 'stopped')).toBe(true);
      await waitFor(() => !dumpProcessFor(server.port), 10_000, 'the dump process to end');
    } finally {
      events.close();
      await release();
    }
  });
});

// What the HTTP API of `warden serve` refuses before any work, over real HTTP against a real agent
// process: requests for other host names (DNS rebinding), malformed URLs, event streams beyond the
// cap; and the agent's own description. No database: the target is never contacted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from './helpers/proc.js';
import { rawGet, request, serve, TOKEN } from './helpers/serve.js';
import { makeWorkspace, ROOT } from './helpers/warden.js';

const unreachable = { name: 'shop', host: '127.0.0.1', port: 1, user: 'root', databases: ['shop'] };
const workspace = (extra: Record<string, unknown> = {}) => makeWorkspace([unreachable], extra);
const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

describe('warden serve: guards', () => {
  it('describes itself at GET /api/v1/agent: version, config file and start time; a read like the others', async () => {
    const ws = workspace();
    const before = Date.now();
    const s = await serve(ws.config);
    const r = await request(s, 'GET', '/api/v1/agent', { token: null });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ version, configFile: path.resolve(ws.config), startedAt: expect.any(String) });
    expect(new Date(r.json.startedAt).toISOString()).toBe(r.json.startedAt);
    expect(Date.parse(r.json.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(r.json.startedAt)).toBeLessThanOrEqual(Date.now());
    await s.stop();

    const guarded = await serve(workspace({ api: { protectReads: true } }).config);
    expect((await request(guarded, 'GET', '/api/v1/agent', { token: null })).status).toBe(401);
    expect((await request(guarded, 'GET', '/api/v1/agent')).status).toBe(200);
    await guarded.stop();
  });

  it('answers only to the names it is known by: a rebinding page on another name gets 421 and no data', async () => {
    const s = await serve(workspace({ api: { allowedHosts: ['warden.internal'] } }).config);
    const port = s.port;
    const allowed = [`127.0.0.1:${port}`, '127.0.0.1', `localhost:${port}`, 'LOCALHOST', 'localhost.', `[::1]:${port}`, '[::1]', `warden.internal:${port}`, 'Warden.Internal'];
    for (const host of allowed) {
      const r = await rawGet(s, '/api/v1/targets', { host });
      expect(r.status, `${host}: ${r.text}`).toBe(200);
    }
    const refused = [
      `evil.example:${port}`,
      'evil.example',
      '127.0.0.1.evil.example',
      `localhost.evil.example:${port}`,
      'evil@127.0.0.1',
      `127.0.0.1:${port}@evil.example`,
      '[::1].evil.example',
      'warden.internal.evil.example',
    ];
    for (const host of refused) {
      for (const p of ['/api/v1/targets', '/api/v1/agent', '/metrics', '/healthz', '/readyz', '/api/v1/events', '/api/v1/backups/20261122T014512.345Z-3fa9']) {
        const r = await rawGet(s, p, { host, authorization: `Bearer ${TOKEN}` });
        expect(r.status, `${host} ${p}: ${r.text}`).toBe(421);
        expect(JSON.parse(r.text), `${host} ${p}`).toEqual({ error: { code: 'misdirected', message: expect.stringMatching(/api\.allowedHosts/) } });
        expect(r.text).not.toMatch(/shop|warden\.yaml/);
      }
    }
    const rejected = s.logLines().filter((l) => l.msg === 'request for a host name not allowed');
    expect(rejected.map((l) => l.host)).toContain(`evil.example:${port}`);
    await s.stop();
  });

  it('answers malformed percent-encoding and undecodable bodies with 400 in the API error shape, and logs no stack', async () => {
    const s = await serve(workspace().config);
    for (const p of ['/api/v1/backups/%E0%A4%A', '/api/v1/backups/%E0%A4%A/log', '/api/v1/targets/%E0%A4%A', '/api/v1/targets/%ZZ', '/api/v1/backups/%']) {
      const r = await rawGet(s, p);
      expect(r.status, `${p}: ${r.text}`).toBe(400);
      expect(JSON.parse(r.text), p).toEqual({ error: { code: 'bad_request', message: expect.stringMatching(/percent-encoding/) } });
    }
    const r = await request(s, 'POST', '/api/v1/targets/%E0%A4%A/backups');
    expect(r.status, r.text).toBe(400);
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const body = await request(s, 'POST', '/api/v1/targets/shop/backups', { body: 'not compressed', headers: { 'content-encoding': encoding } });
      expect(body.status, `${encoding}: ${body.text}`).toBe(400);
      expect(body.json).toEqual({ error: { code: 'bad_request', message: 'unreadable request body' } });
    }
    await s.stop();
    expect(s.stderr()).not.toMatch(/"stack"|URIError|at decodeURIComponent/);
    expect(s.logLines().filter((l) => Number(l.level) >= 50)).toEqual([]);
  });

  it('caps event streams at 32: the next client gets 503 with Retry-After, and a closed stream frees its slot', async () => {
    const s = await serve(workspace().config);
    const streams: AbortController[] = [];
    // Clients with the token, as Grafana's proxy is: those without it get fewer slots (next test).
    const open = async () => {
      const controller = new AbortController();
      const res = await fetch(`${s.url}/api/v1/events`, { signal: controller.signal, headers: { authorization: `Bearer ${TOKEN}` } });
      if (res.status === 200) streams.push(controller);
      return res;
    };
    try {
      for (let i = 0; i < 32; i++) expect((await open()).status).toBe(200);
      const over = await open();
      expect(over.status).toBe(503);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await over.json()).toEqual({ error: { code: 'unavailable', message: expect.stringMatching(/32 event streams/) } });
      // Other requests are not affected.
      expect((await request(s, 'GET', '/api/v1/targets', { token: null })).status).toBe(200);

      streams.shift()!.abort();
      streams.shift()!.abort();
      const reopened = await waitFor(async () => {
        const res = await open();
        return res.status === 200 ? res : null;
      }, 5000, 'a freed slot');
      expect(reopened.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect((await open()).status).toBe(200);
      expect((await open()).status).toBe(503);
    } finally {
      streams.forEach((c) => c.abort());
    }
    await s.stop();
  });

  it('gives clients without the token 8 event streams, and takes the oldest of them back for a client with it', async () => {
    const s = await serve(workspace().config);
    const open = (token?: string) => {
      const controller = new AbortController();
      const res = fetch(`${s.url}/api/v1/events`, { signal: controller.signal, headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { controller, res };
    };
    const strangers = Array.from({ length: 8 }, () => open());
    try {
      for (const st of strangers) expect((await st.res).status).toBe(200);
      const ninth = open();
      expect((await ninth.res).status).toBe(503);
      expect(await (await ninth.res).json()).toEqual({ error: { code: 'unavailable', message: expect.stringMatching(/8 event streams to clients without the API token/) } });
      const grafana = open(TOKEN);
      expect((await grafana.res).status).toBe(200);
      grafana.controller.abort();
    } finally {
      strangers.forEach((st) => st.controller.abort());
    }
    await s.stop();
  });

  it('answers 400 to query parameters an endpoint does not take', async () => {
    const s = await serve(workspace().config);
    for (const url of ['/api/v1/agent?x=1', '/api/v1/targets?verbose', '/api/v1/targets/shop?x=1', '/api/v1/backups/20261122T014512.345Z-3fa9?x=1', '/api/v1/events?since=1']) {
      const r = await request(s, 'GET', url, { token: null });
      expect(r.status, url).toBe(400);
      expect(r.json.error.message, url).toMatch(/unknown parameter/);
    }
    expect((await request(s, 'POST', '/api/v1/targets/shop/backups?now=1')).status).toBe(400);
    // The parameters GET /backups documents still work.
    expect((await request(s, 'GET', '/api/v1/backups?target=shop&limit=5', { token: null })).status).toBe(200);
    await s.stop();
  });
});

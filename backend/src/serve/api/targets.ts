// GET /api/v1/targets[/:name] and POST /api/v1/targets/:name/backups.
import { Router } from 'express';
import { z } from 'zod';
import type { TargetConfig } from '../../config/schema.js';
import { describeEndpoint, endpointOf } from '../../mysql/server.js';
import type { RunningInfo } from '../runs.js';
import type { BackupSummary, TargetHistory } from '../../catalog/summaries.js';
import type { ApiContext } from './context.js';
import { configuredTarget, parseBody } from './validate.js';

export type TargetState = 'ok' | 'failing' | 'stale' | 'running' | 'never';

/** running > failing (last run not success) > stale (last success older than rpo) > never > ok. */
export function stateOf(t: TargetConfig, h: TargetHistory, running: boolean, now: number): TargetState {
  if (running) return 'running';
  if (h.lastRun && h.lastRun.status !== 'success') return 'failing';
  const finished = h.lastSuccess?.finishedAt;
  if (finished && t.rpo !== undefined && now - Date.parse(finished) > t.rpo * 1000) return 'stale';
  if (!h.lastSuccess) return 'never';
  return 'ok';
}

/** This process's run of the target, else a live run of another process found in the catalog. */
function runningOf(ctx: ApiContext, h: TargetHistory, target: string): RunningInfo | null {
  const own = ctx.manager.running(target);
  if (own) return own;
  const other: BackupSummary | undefined = h.runs.find((r) => r.status === 'running');
  return other ? { id: other.id, startedAt: other.startedAt, kind: 'backup', progress: null } : null;
}

async function targetInfo(ctx: ApiContext, t: TargetConfig) {
  const h = await ctx.catalog.history(t.name);
  const running = runningOf(ctx, h, t.name);
  const binlog = await ctx.binlog(t.name);
  const at = (d: Date | null) => d?.toISOString() ?? null;
  return {
    name: t.name,
    endpoint: describeEndpoint(endpointOf(t)),
    databases: t.databases ?? null,
    method: t.method,
    schedule: t.schedule ?? null,
    verifySchedule: t.verifySchedule ?? null,
    nextRunAt: at(ctx.nextRun(t.name, 'backup')),
    nextVerifyAt: at(ctx.nextRun(t.name, 'verify')),
    rpoSeconds: t.rpo ?? null,
    state: stateOf(t, h, running !== null, Date.now()),
    running,
    lastRun: h.lastRun,
    lastSuccess: h.lastSuccess,
    lastVerified: h.lastVerified,
    lastFailure: h.lastFailure,
    ...(binlog ? { binlog } : {}),
  };
}

export function targetsRouter(ctx: ApiContext): Router {
  const router = Router({ caseSensitive: true });
  router.get('/targets', async (_req, res) => {
    res.json({ targets: await Promise.all(ctx.config.targets.map((t) => targetInfo(ctx, t))) });
  });
  router.get('/targets/:name', async (req, res) => {
    res.json(await targetInfo(ctx, configuredTarget(ctx.config, req.params.name)));
  });
  router.post('/targets/:name/backups', async (req, res) => {
    const target = configuredTarget(ctx.config, req.params.name);
    parseBody(z.strictObject({}), req);
    const id = await ctx.manager.backupNow(target);
    res.status(202).json({ id, target: target.name });
  });
  return router;
}

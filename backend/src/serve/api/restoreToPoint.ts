// POST /api/v1/restore-to-point/:id: a point-in-time restore starting from one backup, through the
// same restoreToPoint() as `warden restore --to`. Its own path prefix lets the plugin's routes
// require Grafana's Admin role for it alone (plugin.json).
import { Router } from 'express';
import { parsePoint, PointError } from '../../binlogfile/point.js';
import { findBackup } from '../../catalog/find.js';
import { restoreToPointBodySchema } from '../../contract/api.js';
import { RestoreUsageError } from '../../restore/index.js';
import { ChainError } from '../../restore/pitrPlan.js';
import { planJson, type PointInTimeResult } from '../../restore/pointInTime.js';
import { planInWorker } from '../jobs.js';
import type { ApiContext } from './context.js';
import { HttpError } from './errors.js';
import { backupId, configuredTarget, parseBody } from './validate.js';

/** The verb's refusals as the API's errors: the request's fault (400) or the archive's state (409). */
function asHttpError(err: unknown): unknown {
  if (err instanceof PointError || err instanceof RestoreUsageError) return new HttpError('bad_request', err.message, {}, err.hint);
  if (err instanceof ChainError) return new HttpError('conflict', err.failure.message, { class: err.failure.class }, err.failure.hint);
  return err;
}

export function restoreToPointRouter(ctx: ApiContext): Router {
  const router = Router({ caseSensitive: true });
  router.post('/restore-to-point/:id', async (req, res) => {
    const body = parseBody(restoreToPointBodySchema, req);
    const id = backupId(req.params.id);
    const found = await findBackup(ctx.config.repositoryPath, id);
    if (!found) throw new HttpError('not_found', `no backup with id ${id}`);
    const target = configuredTarget(ctx.config, found.target);
    // The plan first, also for a real run: a point the archive cannot reach is refused here, not later.
    let planned: PointInTimeResult;
    try {
      // In a worker thread: the dry run reads the archive's stretch, which would hold the API's event loop.
      planned = await planInWorker({ config: ctx.config, target, restore: { point: parsePoint(body), database: body.database, sourceDatabase: body.sourceDatabase, backupId: id } });
    } catch (err) {
      throw asHttpError(err);
    }
    const { plan, database, sourceDatabase } = planned;
    if (!body.dryRun) ctx.manager.restoreNow(target, { point: plan.point, database, sourceDatabase, backupId: id });
    res.status(body.dryRun ? 200 : 202).json({ id, target: target.name, dryRun: body.dryRun, sourceDatabase, database, plan: planJson(plan) });
  });
  return router;
}

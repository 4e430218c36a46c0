// /api/v1/backups: the catalog (list, one manifest, its log, its offsite copy), verification and deletion.
import { Router } from 'express';
import { z } from 'zod';
import { findBackup } from '../../catalog/find.js';
import { RUN_STATUSES } from '../../contract/manifest.js';
import { LOG_FILE, MANIFEST_FILE } from '../../catalog/paths.js';
import { readManifest } from '../../catalog/store.js';
import { storageOf } from '../../storage/index.js';
import { TARGET_NAME, VERIFY_LEVELS } from '../../config/schema.js';
import { deleteRun, deletionBlocker } from '../../expire/index.js';
import { offsiteSummaryOf, toSummary } from '../../catalog/summaries.js';
import { readOffsiteRecord } from '../../catalog/offsite.js';
import type { ApiContext } from './context.js';
import { HttpError } from './errors.js';
import { backupId, configuredTarget, parseBody, parseQuery } from './validate.js';

const listQuery = z.strictObject({
  target: z.string().regex(TARGET_NAME, 'malformed target name').optional(),
  status: z.enum(RUN_STATUSES).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number from 1 to 1000')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(1000, 'must be at most 1000'))
    .default(100),
});

const verifyBody = z.strictObject({ level: z.enum(VERIFY_LEVELS) });

/** Reads a file of a run folder; a missing one, or a symbolic link (never served), is a 404, never a 500. */
async function serveRunFile(dir: string, name: string, what: string): Promise<string> {
  try {
    const storage = storageOf(dir);
    return await storage.readText(storage.join(dir, name));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') throw new HttpError('not_found', `${what} not found`);
    throw err;
  }
}

export function backupsRouter(ctx: ApiContext): Router {
  const router = Router({ caseSensitive: true });

  async function locate(id: string) {
    const found = await findBackup(ctx.config.repositoryPath, backupId(id));
    if (!found) throw new HttpError('not_found', `no backup with id ${id}`);
    return found;
  }

  router.get('/backups', async (req, res) => {
    const q = parseQuery(listQuery, req);
    const snap = await ctx.catalog.snapshot();
    if (q.target && !snap.byTarget.has(q.target) && !ctx.config.targets.some((t) => t.name === q.target)) {
      throw new HttpError('not_found', `unknown target "${q.target}"`);
    }
    const entries = q.target ? (snap.byTarget.get(q.target) ?? []) : [...snap.byTarget.values()].flat();
    const backups = entries
      .map((e) => toSummary(e.manifest, snap.isLive(e.manifest), e.offsite ?? null))
      .filter((b) => !q.status || b.status === q.status)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, q.limit);
    res.json({ backups });
  });

  // The manifest exactly as stored: what the API serves and what is on disk never differ.
  router.get('/backups/:id', async (req, res) => {
    const { dir } = await locate(req.params.id);
    const text = await serveRunFile(dir, MANIFEST_FILE, 'manifest');
    JSON.parse(text); // a torn or foreign file is an internal error, not a manifest
    res.type('application/json').send(text);
  });

  router.get('/backups/:id/log', async (req, res) => {
    const { dir } = await locate(req.params.id);
    const text = await serveRunFile(dir, LOG_FILE, 'log');
    const lines: unknown[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line));
      } catch {
        // the last line of a running run's log may be half-written
      }
    }
    res.json({ lines });
  });

  // Beside the manifest, never in it: the offsite copy's record (offsite/).
  router.get('/backups/:id/offsite', async (req, res) => {
    const { dir } = await locate(req.params.id);
    const record = await readOffsiteRecord(dir);
    res.json({ offsite: record && offsiteSummaryOf(record) });
  });

  router.post('/backups/:id/verify', async (req, res) => {
    const { level } = parseBody(verifyBody, req);
    const { target: name, dir } = await locate(req.params.id);
    const target = configuredTarget(ctx.config, name);
    const status = (await readManifest(dir).catch(() => null))?.status ?? 'unreadable';
    if (status !== 'success' && status !== 'partial') {
      throw new HttpError('conflict', `backup ${req.params.id} is ${status}: only successful (or partial) backups can be verified`);
    }
    ctx.manager.verifyNow(target, req.params.id, dir, level);
    res.status(202).json({ id: req.params.id, level });
  });

  router.delete('/backups/:id', async (req, res) => {
    const { target, dir } = await locate(req.params.id);
    const id = req.params.id;
    const running = ctx.manager.running(target);
    const blocker = running?.id === id ? `backup ${id} has a ${running.kind} running` : await deletionBlocker(ctx.config, target, id, ctx.manager.inUse());
    if (blocker) throw new HttpError('conflict', blocker);
    const freedBytes = await deleteRun(dir);
    ctx.log.info({ target, backupId: id, freedBytes }, 'backup deleted through the API');
    ctx.catalogChanged(target);
    res.json({ deleted: id, freedBytes });
  });

  return router;
}

// The agent's HTTP API (docs/api.md): /healthz, /readyz, /metrics and /api/v1.
import { access, constants } from 'node:fs/promises';
import express, { type Express, type RequestHandler, Router } from 'express';
import { storageOf } from '../../storage/index.js';
import { carriesToken, requireToken } from './auth.js';
import { backupsRouter } from './backups.js';
import type { ApiContext } from './context.js';
import { cors } from './cors.js';
import { errorHandler, notFound } from './errors.js';
import { EventStream } from './events.js';
import { allowedHosts, requireAllowedHost } from './hosts.js';
import { restoreToPointRouter } from './restoreToPoint.js';
import { targetsRouter } from './targets.js';
import { noQueryExcept } from './validate.js';
import { packageVersion } from '../../util/version.js';

const BODY_LIMIT = '16kb';
const open: RequestHandler = (_req, _res, next) => next();


/** One line per request: method, path, status and time; never headers (they carry the token). */
function requestLog(ctx: ApiContext): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const line = { method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      // Reads come by the hundred (dashboards, scrapes): visible at debug level only.
      if (req.method === 'GET' && res.statusCode < 400) ctx.log.debug(line, 'request');
      else ctx.log.info(line, 'request');
    });
    next();
  };
}

export function createApp(ctx: ApiContext): { app: Express; events: EventStream } {
  const app = express();
  // Paths are matched as Grafana's proxy routes match them, case and all: the Admin-only route
  // (plugin.json) must not be passed by a path that differs only in case and still reaches the action.
  app.set('case sensitive routing', true);
  const events = new EventStream(ctx.manager, { carriesToken: carriesToken(ctx.token) });
  const auth = requireToken(ctx.token, ctx.config.api.tokenEnv);
  const reads = ctx.config.api.protectReads ? auth : open;

  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
    next();
  });
  app.use(requireAllowedHost(allowedHosts(ctx.listenHost, ctx.config.api.allowedHosts), ctx.log));
  app.use(cors(ctx.config.api.corsOrigins));
  app.use(requestLog(ctx));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const problems: string[] = [];
    if (ctx.shuttingDown()) problems.push('the agent is shutting down');
    const repository = ctx.config.repositoryPath;
    const local = storageOf(repository).localFile(repository);
    // A bucket is not probed with a write on every readiness check: that it answers is enough.
    await (local === null ? storageOf(repository).list(repository) : access(local, constants.W_OK)).catch((err: NodeJS.ErrnoException) =>
      problems.push(`the repository ${repository} is not ${local === null ? 'reachable' : 'writable'} (${err.code ?? err.message})`),
    );
    if (problems.length > 0) res.status(503).json({ status: 'not ready', problems });
    else res.json({ status: 'ready' });
  });
  app.get('/metrics', reads, async (_req, res) => {
    res.type(ctx.metrics.contentType).send(await ctx.metrics.text());
  });

  const api = Router({ caseSensitive: true });
  api.use((req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? reads : auth)(req, res, next));
  api.use(express.json({ limit: BODY_LIMIT, type: 'application/json', strict: true }));
  api.use(noQueryExcept((req) => req.method === 'GET' && req.path === '/backups'));
  api.get('/events', events.handler);
  const about = { version: packageVersion(), configFile: ctx.config.file, startedAt: ctx.startedAt.toISOString() };
  api.get('/agent', (_req, res) => {
    res.json(about);
  });
  api.use(targetsRouter(ctx));
  api.use(backupsRouter(ctx));
  api.use(restoreToPointRouter(ctx));
  app.use('/api/v1', api);

  app.use(notFound);
  app.use(errorHandler(ctx.log));
  return { app, events };
}

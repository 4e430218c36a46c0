// Input checks: every name or id reaches a path builder only after passing these.
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { isBackupId } from '../../catalog/paths.js';
import type { LoadedConfig } from '../../config/load.js';
import { TARGET_NAME, type TargetConfig } from '../../config/schema.js';
import { HttpError } from './errors.js';

/** A configured target by name: 400 when the name cannot be one, 404 when no target has it. */
export function configuredTarget(config: LoadedConfig, name: string): TargetConfig {
  if (!TARGET_NAME.test(name)) throw new HttpError('bad_request', 'malformed target name (expected [a-z0-9_-], 1 to 64 characters)');
  const target = config.targets.find((t) => t.name === name);
  if (!target) throw new HttpError('not_found', `unknown target "${name}"`);
  return target;
}

export function backupId(id: string): string {
  if (!isBackupId(id)) throw new HttpError('bad_request', 'malformed backup id (expected e.g. 20261122T014512.345Z-3fa9)');
  return id;
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.join('.') || '(body)';
      return i.code === 'unrecognized_keys' ? `${where}: unknown key(s) ${i.keys.join(', ')}` : `${where}: ${i.message}`;
    })
    .join('; ');
}

/**
 * The JSON body against a strict schema. No body at all counts as `{}`; anything but a JSON body
 * (form data, text) is refused rather than ignored.
 */
export function parseBody<T>(schema: z.ZodType<T>, req: Request): T {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) throw new HttpError('bad_request', 'the request body must be JSON (Content-Type: application/json)');
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) throw new HttpError('bad_request', `invalid request body: ${describe(parsed.error)}`);
  return parsed.data;
}

export function parseQuery<T>(schema: z.ZodType<T>, req: Request): T {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success) throw new HttpError('bad_request', `invalid query: ${describe(parsed.error)}`);
  return parsed.data;
}

/**
 * Refuses a query string where an endpoint takes none (docs/api.md: anything undocumented is
 * 400). Endpoints that take parameters check them with parseQuery and are listed in `takesQuery`.
 */
export function noQueryExcept(takesQuery: (req: Request) => boolean): RequestHandler {
  return (req, _res, next) => {
    const keys = Object.keys(req.query as Record<string, unknown>);
    if (keys.length > 0 && !takesQuery(req)) throw new HttpError('bad_request', `invalid query: unknown parameter(s) ${keys.join(', ')}; this endpoint takes none`);
    next();
  };
}

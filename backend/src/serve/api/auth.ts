// Bearer-token authentication. Mutations always need the token, reads only with api.protectReads.
import { createHash, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import type { Request, RequestHandler } from 'express';
import { ConfigError, type LoadedConfig } from '../../config/load.js';
import { readPrivateFile } from '../../mysql/credentials.js';
import { HttpError } from './errors.js';

/** The API token from api.tokenFile (which must be 0600) or else the api.tokenEnv variable; null when neither is set. */
export function loadApiToken(config: LoadedConfig, env: NodeJS.ProcessEnv = process.env): string | null {
  const { tokenFile, tokenEnv, protectReads } = config.api;
  const token = tokenFile
    ? readPrivateFile(path.resolve(path.dirname(config.file), tokenFile), 'api.tokenFile', config.file).trim()
    : (env[tokenEnv]?.trim() ?? '');
  if (tokenFile && token === '') throw new ConfigError(config.file, [`api.tokenFile: ${tokenFile} is empty`]);
  if (token === '' && protectReads) {
    throw new ConfigError(config.file, [`api.protectReads: needs an API token; set ${tokenEnv} (api.tokenEnv) or api.tokenFile`]);
  }
  return token === '' ? null : token;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

const presentedToken = (req: Request) => /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '')?.[1];

/**
 * Whether a request carries the API token. Both sides are hashed first so that timingSafeEqual
 * compares equal lengths and the time taken says nothing about the token.
 */
export function carriesToken(token: string | null): (req: Request) => boolean {
  const expected = token === null ? null : digest(token);
  return (req) => {
    const presented = presentedToken(req);
    return expected !== null && presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}

/** Checks `Authorization: Bearer <token>`, saying what is wrong when it is missing or wrong. */
export function requireToken(token: string | null, tokenEnv: string): RequestHandler {
  const matches = carriesToken(token);
  return (req, _res, next) => {
    if (token === null) {
      throw new HttpError(
        'unauthorized',
        `no API token is configured on the agent: set the environment variable ${tokenEnv} (api.tokenEnv) or api.tokenFile (a file of mode 0600), then restart warden serve`,
      );
    }
    if (presentedToken(req) === undefined) throw new HttpError('unauthorized', 'this request needs the header Authorization: Bearer <token>');
    if (!matches(req)) throw new HttpError('unauthorized', 'invalid API token');
    next();
  };
}

// The only thing tests fake: Grafana's transport. Routes are "METHOD /url" (query string ignored);
// a reply is a body (200), a status with a body, or a network failure.
import { setBackendSrv, type BackendSrv, type BackendSrvRequest, type FetchResponse } from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';
import { PLUGIN_ID } from '../constants';

export type Reply =
  | { status: number; data?: unknown }
  | { network: true }
  | { pending: true }
  | ((request: BackendSrvRequest) => Reply | { data: unknown });

export type Routes = Record<string, Reply | { data: unknown }>;

export const agentPath = (path: string, slot = 0) => `/api/plugin-proxy/${PLUGIN_ID}/agent/${slot}${path}`;

export const ok = (data: unknown) => ({ data });
export const status = (code: number, data?: unknown) => ({ status: code, data });
export const agentError = (code: number, errorCode: string, message: string, extra: object = {}) =>
  status(code, { error: { message, code: errorCode }, ...extra });
export const network = { network: true } as const;
export const pending = { pending: true } as const;

function respond(request: BackendSrvRequest, reply: Reply | { data: unknown }): Observable<FetchResponse> {
  if (typeof reply === 'function') return respond(request, reply(request));
  if ('network' in reply) return throwError(() => new TypeError('Failed to fetch'));
  if ('pending' in reply) return new Observable<FetchResponse>(() => undefined);
  const code = 'status' in reply ? reply.status : 200;
  const response = { data: reply.data, status: code, statusText: String(code), ok: code < 400, config: request } as FetchResponse;
  return code < 400 ? of(response) : throwError(() => response);
}

/** Installs a fake backendSrv; returns the requests it saw. */
export function mockBackendSrv(routes: Routes): BackendSrvRequest[] {
  const calls: BackendSrvRequest[] = [];
  const fetch = (request: BackendSrvRequest): Observable<FetchResponse> => {
    calls.push(request);
    const key = `${request.method ?? 'GET'} ${request.url.split('?')[0]}`;
    const reply = routes[key];
    return reply ? respond(request, reply) : respond(request, status(404, { message: `no fake route for ${key}` }));
  };
  setBackendSrv({ fetch } as unknown as BackendSrv);
  return calls;
}

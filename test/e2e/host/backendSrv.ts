// Grafana's backendSrv.fetch on top of window.fetch: JSON in and out, query params, and errors
// thrown as { status, statusText, data } the way Grafana's FetchError carries them.
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

function urlWithParams(request: BackendSrvRequest): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request.params ?? {})) {
    if (value !== undefined && value !== null) params.append(key, String(value));
  }
  const query = params.toString();
  return query ? `${request.url}?${query}` : request.url;
}

async function send<T>(request: BackendSrvRequest): Promise<FetchResponse<T>> {
  const hasBody = request.data !== undefined;
  const response = await fetch(urlWithParams(request), {
    method: request.method ?? 'GET',
    headers: { accept: 'application/json', ...(hasBody ? { 'content-type': 'application/json' } : {}), ...request.headers },
    body: hasBody ? JSON.stringify(request.data) : undefined,
    credentials: 'same-origin',
  }).catch(() => {
    throw { status: -1, statusText: 'network error', data: {}, config: request };
  });
  const text = await response.text();
  let data: unknown = text;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    // not JSON: keep the text
  }
  const result = {
    data: data as T,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    redirected: response.redirected,
    type: response.type,
    url: response.url,
    config: request,
  };
  if (!response.ok) throw result;
  return result;
}

export const hostBackendSrv = {
  fetch<T>(request: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable((subscriber) => {
      send<T>(request).then(
        (response) => {
          subscriber.next(response);
          subscriber.complete();
        },
        (err: unknown) => subscriber.error(err),
      );
    });
  },
} as unknown as BackendSrv;

// Every call of the plugin goes through getBackendSrv().fetch with Grafana's own alerts off (the
// pages show errors in place); each client maps a failure to its own error type.
import { getBackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

export async function fetchData<T>(options: BackendSrvRequest, toError: (err: unknown) => Error): Promise<T> {
  try {
    const response = await lastValueFrom(getBackendSrv().fetch<T>({ ...options, showErrorAlert: false, showSuccessAlert: false }));
    return response.data;
  } catch (err) {
    throw toError(err);
  }
}

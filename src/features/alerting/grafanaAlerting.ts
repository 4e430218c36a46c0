// The one place that knows Grafana's alerting provisioning URLs (and the folder API the rules live
// in). Writes carry X-Disable-Provenance so that what the installer creates stays editable in
// Grafana's UI afterwards, like anything made by hand.
import type { BackendSrvRequest } from '@grafana/runtime';
import type { ContactPoint, PolicyRoute } from './notifications';
import { fetchData } from '../../shared/api/fetchData';

const PROVISIONING = '/api/v1/provisioning';
const FOLDERS = '/api/folders';
const EDITABLE = { 'X-Disable-Provenance': 'true' };

/** Where a resource came from: '' (made in the UI or with X-Disable-Provenance), 'api', 'file', … */
export type Provenance = string;
export const FROM_FILES: Provenance = 'file';
/** What Grafana answers instead of a secret setting; sent back on update, it keeps the stored value. */
export const REDACTED = '[REDACTED]';

export interface Folder {
  uid: string;
  title: string;
}

/** The fields of Grafana's ProvisionedAlertRule that the installer compares. */
export interface ProvisionedRule {
  uid: string;
  title: string;
  folderUID?: string;
  ruleGroup?: string;
  /** a Prometheus duration, e.g. "5m" */
  for?: string;
  labels?: Record<string, string>;
  data?: Array<{ refId?: string; datasourceUid?: string; model?: { expr?: string } }>;
  provenance?: Provenance;
}

export interface ProvisionedContactPoint extends Omit<ContactPoint, 'type'> {
  type: string;
  provenance?: Provenance;
}

export interface NotificationTemplate {
  name: string;
  template: string;
  provenance?: Provenance;
}

export interface PolicyTree extends PolicyRoute {
  provenance?: Provenance;
}

/** A failed call: Grafana's status and message, and which call it was. */
export class GrafanaApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** "METHOD /path" */
    readonly call: string,
  ) {
    super(message);
    this.name = 'GrafanaApiError';
  }
}

interface FetchErrorLike {
  status?: number;
  statusText?: string;
  data?: { message?: string; error?: string } | string;
}

function toApiError(err: unknown, call: string): GrafanaApiError {
  const { status = 0, statusText, data } = (err ?? {}) as FetchErrorLike;
  const body = typeof data === 'object' && data !== null ? data : {};
  // Alerting answers often put the cause in `error` and a generic sentence in `message`.
  const parts = [body.message, body.error].filter((p): p is string => typeof p === 'string' && p !== '');
  const message = parts.length > 0 ? [...new Set(parts)].join(': ') : (statusText ?? (err instanceof Error ? err.message : 'request failed'));
  return new GrafanaApiError(status, message, call);
}

function request<T>(options: BackendSrvRequest): Promise<T> {
  return fetchData<T>(options, (err) => toApiError(err, `${options.method ?? 'GET'} ${options.url}`));
}

function write<T>(method: 'POST' | 'PUT', url: string, data: unknown): Promise<T> {
  return request<T>({ method, url, data, headers: EDITABLE });
}

/** Grafana answers an empty list as `null` in places (a nil Go slice). */
async function list<T>(url: string): Promise<T[]> {
  return (await request<T[] | null>({ url })) ?? [];
}

export function listAlertRules(): Promise<ProvisionedRule[]> {
  return list(`${PROVISIONING}/alert-rules`);
}

export function listContactPoints(): Promise<ProvisionedContactPoint[]> {
  return list(`${PROVISIONING}/contact-points`);
}

export function listTemplates(): Promise<NotificationTemplate[]> {
  return list(`${PROVISIONING}/templates`);
}

export function getPolicyTree(): Promise<PolicyTree> {
  return request({ url: `${PROVISIONING}/policies` });
}

/** The folder, or null when Grafana has none with this uid. */
export async function getFolder(uid: string): Promise<Folder | null> {
  try {
    return await request<Folder>({ url: `${FOLDERS}/${encodeURIComponent(uid)}` });
  } catch (err) {
    if (err instanceof GrafanaApiError && err.status === 404) return null;
    throw err;
  }
}

export function createFolder(folder: Folder): Promise<Folder> {
  return write('POST', FOLDERS, folder);
}

export function putTemplate(name: string, template: string): Promise<unknown> {
  return write('PUT', `${PROVISIONING}/templates/${encodeURIComponent(name)}`, { template });
}

export function createContactPoint(point: ContactPoint): Promise<unknown> {
  return write('POST', `${PROVISIONING}/contact-points`, point);
}

export function updateContactPoint(point: ContactPoint): Promise<unknown> {
  return write('PUT', `${PROVISIONING}/contact-points/${encodeURIComponent(point.uid)}`, point);
}

/** Replaces the whole group: rules of the group that the body lacks are deleted. */
export function putRuleGroup(folderUid: string, group: string, body: unknown): Promise<unknown> {
  return write('PUT', `${PROVISIONING}/folder/${encodeURIComponent(folderUid)}/rule-groups/${encodeURIComponent(group)}`, body);
}

/** Replaces the whole notification policy tree. */
export function putPolicyTree(tree: PolicyRoute): Promise<unknown> {
  return write('PUT', `${PROVISIONING}/policies`, tree);
}

import { GrafanaApiError } from './grafanaAlerting';
import { ErrorTextAlert } from '../../shared/components/ErrorAlert';

export interface ErrorText {
  title: string;
  hint: string;
}

/** A failed call to Grafana's own API in words that say what to do. */
export function describeGrafanaError(err: unknown): ErrorText {
  if (!(err instanceof GrafanaApiError)) {
    return { title: 'Something went wrong', hint: err instanceof Error ? err.message : String(err) };
  }
  const { status, message, call } = err;
  if (status <= 0) return { title: 'Cannot reach Grafana', hint: `${call} got no answer. Check the connection and retry.` };
  if (status === 401) return { title: 'Not signed in', hint: 'Your Grafana session has ended. Sign in again and retry.' };
  if (status === 403) {
    return {
      title: 'Your role does not allow this',
      hint: `Grafana refused ${call}. Reading and changing alerting provisioning needs an organization admin.`,
    };
  }
  if (status === 409 || status === 412) {
    return { title: 'Grafana holds a conflicting change', hint: `${call}: ${message}. Reload the page to see the current state, then retry.` };
  }
  if (status < 500) return { title: `Grafana refused ${call} (HTTP ${status})`, hint: message };
  return { title: `Grafana failed on ${call} (HTTP ${status})`, hint: `${message}. Grafana's server log has the details.` };
}

interface Props {
  error: unknown;
  /** what was being done, put before the title */
  context?: string;
  onRetry?: () => void;
}

export function GrafanaErrorAlert({ error, context, onRetry }: Props) {
  const { title, hint } = describeGrafanaError(error);
  return <ErrorTextAlert title={context ? `${context}: ${title}` : title} hint={hint} onRetry={onRetry} />;
}

import { Alert } from '@grafana/ui';
import type { InstallReport, StepOutcome } from './useAlertingInstall';
import { GrafanaErrorAlert } from './GrafanaErrorAlert';

const OUTCOMES: Record<StepOutcome, string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'already there',
  skipped: 'skipped',
};

function Steps({ report }: { report: InstallReport }) {
  if (report.steps.length === 0) return null;
  return (
    <ul aria-label="Install steps">
      {report.steps.map((step) => (
        <li key={step.name}>
          {step.name}: {OUTCOMES[step.outcome]}
          {step.note && ` (${step.note})`}
        </li>
      ))}
    </ul>
  );
}

/** What the last install did, step by step, and where it stopped if it did. */
export function InstallResult({ report }: { report: InstallReport }) {
  if (report.failure) {
    return (
      <>
        <GrafanaErrorAlert error={report.failure.error} context={`Installing stopped at "${report.failure.name}"`} />
        {report.steps.length > 0 && (
          <Alert severity="info" title="Done before the failure">
            <Steps report={report} />
          </Alert>
        )}
      </>
    );
  }
  const skipped = report.steps.some((step) => step.outcome === 'skipped');
  return (
    <Alert
      severity={skipped ? 'warning' : 'success'}
      title={skipped ? 'Warden alerting installed, except what files provision' : 'Warden alerting installed'}
    >
      <Steps report={report} />
    </Alert>
  );
}

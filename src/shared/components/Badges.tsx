// Small badges: a target's state, a run's status, its failure class, its verification, its offsite copy, the live stream.
import { Badge, type BadgeColor, type IconName } from '@grafana/ui';
import type { StreamState } from '../api/eventStreams';
import type { OffsiteSummary, RunClass, RunStatus, TargetState, VerificationSummary } from '../../../backend/src/contract/index.js';

/** A badge described by a table row: states map to one of these each. */
export interface BadgeSpec {
  text: string;
  color: BadgeColor;
  icon: IconName;
  tooltip: string;
}

export function SpecBadge({ spec }: { spec: BadgeSpec }) {
  return <Badge text={spec.text} color={spec.color} icon={spec.icon} tooltip={spec.tooltip} />;
}

const TARGET_STATES: Record<TargetState, BadgeSpec> = {
  ok: { text: 'OK', color: 'green', icon: 'check', tooltip: 'The last run succeeded and the newest good backup is within the RPO.' },
  failing: { text: 'Failing', color: 'red', icon: 'exclamation-triangle', tooltip: 'The last run did not succeed.' },
  stale: { text: 'Stale', color: 'orange', icon: 'clock-nine', tooltip: 'The newest good backup is older than the RPO.' },
  running: { text: 'Running', color: 'blue', icon: 'sync', tooltip: 'A backup or verification is running now.' },
  never: { text: 'Never succeeded', color: 'purple', icon: 'question-circle', tooltip: 'This target has no good backup yet.' },
};

export function TargetStateBadge({ state }: { state: TargetState }) {
  return <SpecBadge spec={TARGET_STATES[state]} />;
}

const RUN_STATUSES: Record<RunStatus, BadgeColor> = {
  success: 'green',
  partial: 'orange',
  failed: 'red',
  running: 'blue',
  interrupted: 'orange',
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <Badge text={status} color={RUN_STATUSES[status]} />;
}

export function ClassBadge({ value }: { value: RunClass }) {
  if (value === 'none') return <span>–</span>;
  return <Badge text={value} color="red" icon="bug" />;
}

export function VerificationBadge({ verification }: { verification: VerificationSummary | null }) {
  if (!verification) return <Badge text="not verified" color="purple" />;
  return verification.ok ? (
    <Badge text={`${verification.level} ✓`} color="green" tooltip={`Verified at level ${verification.level}`} />
  ) : (
    <Badge text={`${verification.level} failed`} color="red" tooltip={verification.problems.map((p) => p.detail).join('; ')} />
  );
}

/** The offsite copy: read back and matched, or failed with its class; a dash when none was attempted. */
export function OffsiteBadge({ offsite }: { offsite: OffsiteSummary | null }) {
  if (!offsite) return <span>–</span>;
  if (offsite.state === 'copied') {
    return <Badge text="offsite ✓" color="green" icon="cloud-upload" tooltip={`Copied to ${offsite.location}, read back and matched at ${offsite.verifiedAt ?? offsite.at}`} />;
  }
  const why = offsite.error ? `${offsite.error.class}: ${offsite.error.hint}` : 'see the agent log';
  return <Badge text="offsite failed" color="red" icon="exclamation-triangle" tooltip={`${offsite.attempts} attempt(s), the last at ${offsite.at}. ${why} The next run tries again.`} />;
}

const STREAM_STATES: Record<Exclude<StreamState, 'connecting'>, BadgeSpec> = {
  live: { text: 'Live', color: 'green', icon: 'rss', tooltip: 'Runs and their progress show as the agent reports them.' },
  reconnecting: {
    text: 'Reconnecting',
    color: 'orange',
    icon: 'sync',
    tooltip: "The agent's event stream is down: the agent is asked every few seconds instead until it is back.",
  },
};

/** Whether live updates arrive; nothing while the stream first connects. */
export function StreamBadge({ state }: { state: StreamState }) {
  return state === 'connecting' ? null : <SpecBadge spec={STREAM_STATES[state]} />;
}

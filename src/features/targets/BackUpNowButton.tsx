import { Button, ConfirmModal, type ComponentSize } from '@grafana/ui';
import { useState } from 'react';
import type { AgentClient } from '../../shared/api/client';
import type { StartedRun, TargetInfo } from '../../../backend/src/contract/index.js';
import { useAction } from '../../shared/hooks/useAction';
import { canEdit } from '../../shared/utils/roles';
import { InlineError } from '../../shared/components/ErrorAlert';

interface Props {
  client: AgentClient;
  target: TargetInfo;
  onStarted?: (run: StartedRun) => void;
  size?: ComponentSize;
}

/** Starts a backup after confirmation; Editors only, and not while the target is busy. */
export function BackUpNowButton({ client, target, onStarted, size = 'sm' }: Props) {
  const [confirming, setConfirming] = useState(false);
  const start = useAction(() => client.startBackup(target.name));
  const editor = canEdit();
  const busy = target.running !== null || start.pending;
  const title = !editor
    ? 'Starting a backup needs the Editor role'
    : target.running
      ? `A ${target.running.kind} of ${target.name} is running`
      : undefined;

  const confirm = async () => {
    setConfirming(false);
    const run = await start.run();
    if (run) onStarted?.(run);
  };

  return (
    <div>
      <Button
        size={size}
        icon={busy ? 'fa fa-spinner' : 'play'}
        disabled={!editor || busy}
        tooltip={title}
        onClick={() => setConfirming(true)}
        aria-label={`Back up ${target.name} now`}
      >
        Back up now
      </Button>
      {start.error !== undefined && <InlineError error={start.error} agent={client.agent} />}
      <ConfirmModal
        isOpen={confirming}
        title={`Back up ${target.name} now?`}
        body={`A backup of ${describeDatabases(target)} on ${target.endpoint} starts right away, next to any schedule.`}
        confirmText="Back up now"
        confirmVariant="primary"
        onConfirm={confirm}
        onDismiss={() => setConfirming(false)}
      />
    </div>
  );
}

function describeDatabases(target: TargetInfo): string {
  return target.databases?.length ? target.databases.join(', ') : 'every database';
}

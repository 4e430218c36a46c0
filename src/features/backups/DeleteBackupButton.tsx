import { Button, ConfirmModal } from '@grafana/ui';
import { useState } from 'react';
import type { AgentClient } from '../../shared/api/client';
import { useAction } from '../../shared/hooks/useAction';
import { isOrgAdmin } from '../../shared/utils/roles';
import { InlineError } from '../../shared/components/ErrorAlert';

interface Props {
  client: AgentClient;
  backupId: string;
  onDeleted: () => void;
}

/**
 * Deletes a backup after confirmation; Admins only (the plugin route's reqRole). The agent refuses
 * the newest successful and the newest verified backup of a target, and running ones.
 */
export function DeleteBackupButton({ client, backupId, onDeleted }: Props) {
  const [confirming, setConfirming] = useState(false);
  const remove = useAction(() => client.deleteBackup(backupId));
  const admin = isOrgAdmin();

  const confirm = async () => {
    setConfirming(false);
    const result = await remove.run();
    if (result) onDeleted();
  };

  return (
    <div>
      <Button
        size="sm"
        variant="destructive"
        icon="trash-alt"
        fill="outline"
        disabled={!admin || remove.pending}
        tooltip={admin ? undefined : 'Deleting a backup needs the Admin role'}
        onClick={() => setConfirming(true)}
      >
        Delete
      </Button>
      {remove.error !== undefined && <InlineError error={remove.error} agent={client.agent} />}
      <ConfirmModal
        isOpen={confirming}
        title="Delete this backup?"
        body={`Backup ${backupId} and its files are removed from the repository. This cannot be undone.`}
        confirmText="Delete"
        onConfirm={confirm}
        onDismiss={() => setConfirming(false)}
      />
    </div>
  );
}

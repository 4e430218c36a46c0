import { Button, ConfirmModal, RadioButtonGroup, Stack } from '@grafana/ui';
import { useState } from 'react';
import type { AgentClient } from '../../shared/api/client';
import { VERIFY_LEVELS, type VerifyLevel } from '../../../backend/src/contract/index.js';
import { useAction } from '../../shared/hooks/useAction';
import { canEdit } from '../../shared/utils/roles';
import { InlineError } from '../../shared/components/ErrorAlert';

const LEVEL_HELP: Record<VerifyLevel, string> = {
  checksum: 'every stored file matches its sha256',
  parse: 'the whole stream decompresses and every table and row count is there',
  restore: 'loaded into a scratch server, CHECK TABLE passes and row counts match (measures the real restore time)',
};

interface Props {
  client: AgentClient;
  backupId: string;
  /** level preselected, e.g. a panel option */
  defaultLevel?: VerifyLevel;
  /** hide the level choice (panels) */
  fixedLevel?: boolean;
  disabled?: boolean;
  onStarted?: () => void;
}

/** Starts a verification of one backup at a chosen level, after confirmation. */
export function VerifyControls({ client, backupId, defaultLevel = 'parse', fixedLevel = false, disabled = false, onStarted }: Props) {
  const [level, setLevel] = useState<VerifyLevel>(defaultLevel);
  const [confirming, setConfirming] = useState(false);
  const verify = useAction(() => client.verifyBackup(backupId, level));
  const editor = canEdit();

  const confirm = async () => {
    setConfirming(false);
    if (await verify.run()) onStarted?.();
  };

  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        {!fixedLevel && (
          <RadioButtonGroup
            size="sm"
            options={VERIFY_LEVELS.map((l) => ({ label: l, value: l, description: LEVEL_HELP[l] }))}
            value={level}
            onChange={setLevel}
          />
        )}
        <Button
          size="sm"
          variant="secondary"
          icon="check-circle"
          disabled={!editor || disabled || verify.pending}
          tooltip={editor ? undefined : 'Verifying needs the Editor role'}
          onClick={() => setConfirming(true)}
        >
          Verify{fixedLevel ? ` (${level})` : ''}
        </Button>
      </Stack>
      {verify.error !== undefined && <InlineError error={verify.error} agent={client.agent} />}
      <ConfirmModal
        isOpen={confirming}
        title={`Verify at level ${level}?`}
        body={`Checks that ${LEVEL_HELP[level]}. The result is recorded in the backup's manifest.`}
        confirmText="Verify"
        confirmVariant="primary"
        onConfirm={confirm}
        onDismiss={() => setConfirming(false)}
      />
    </Stack>
  );
}

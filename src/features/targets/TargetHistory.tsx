import { LoadingPlaceholder, Stack, Text, TextLink } from '@grafana/ui';
import type { AgentClient } from '../../shared/api/client';
import type { TargetInfo } from '../../../backend/src/contract/index.js';
import { appUrl, ROUTES } from '../../constants';
import { ErrorAlert } from '../../shared/components/ErrorAlert';
import { HistoryChart } from './HistoryChart';
import { historySummary, MEASURES } from './runHistory';
import { useRunHistory } from './useRunHistory';
import { Recoverable } from '../pointInTime/Recoverable';
import { RestoreToTimeForm } from '../pointInTime/RestoreToTimeForm';

interface Props {
  client: AgentClient;
  target: TargetInfo;
}

/** The target's last runs (duration, stored size and rows, each run coloured by its status), and with a binlog archive how far a restore reaches and the form for one. */
export function TargetHistory({ client, target }: Props) {
  const history = useRunHistory(client, target);
  if (history.loading) return <LoadingPlaceholder text="Loading the last runs…" />;
  if (history.error !== undefined && !history.value) {
    return <ErrorAlert error={history.error} agent={client.agent} onRetry={history.reload} />;
  }
  const runs = history.value ?? [];
  if (runs.length === 0) return <Text color="secondary">No runs yet.</Text>;
  const pointInTime = target.binlog && (
    <Stack direction="column" gap={1}>
      <Recoverable binlog={target.binlog} />
      <RestoreToTimeForm client={client} target={target} />
    </Stack>
  );
  const backups = `${appUrl(ROUTES.backups)}?${new URLSearchParams({ agent: String(client.agent.slot), target: target.name })}`;
  return (
    <section aria-label={`Last runs of ${target.name}`}>
      <Stack direction="column" gap={1}>
        <Stack direction="row" gap={4} wrap="wrap">
          {MEASURES.map((measure) => (
            <HistoryChart key={measure.label} runs={runs} measure={measure} />
          ))}
        </Stack>
        <Stack direction="row" gap={2} alignItems="center">
          <Text variant="bodySmall" color="secondary">
            {historySummary(runs)}, newest on the right
          </Text>
          <TextLink href={backups} inline={false} variant="bodySmall">
            all backups of {target.name}
          </TextLink>
        </Stack>
        {pointInTime}
      </Stack>
    </section>
  );
}

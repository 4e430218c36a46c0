import type { AgentClient } from '../../shared/api/client';
import type { BackupFilter } from '../../shared/api/client';
import { pollInterval, useAgentEvents } from '../../shared/hooks/useAgentEvents';
import { useAsync } from '../../shared/hooks/useAsync';
import { usePolling } from '../../shared/hooks/usePolling';

/** The inventory, newest first, reloaded when a run starts or ends. */
export function useBackups(client: AgentClient, filter: BackupFilter) {
  const state = useAsync(() => client.listBackups(filter), [client, filter.target, filter.status, filter.limit]);
  const live = useAgentEvents(client, (event) => {
    if (event.type !== 'run-progress') state.reload();
  });
  const running = state.value?.some((b) => b.status === 'running') ?? false;
  usePolling(state.reload, pollInterval(running, live));
  return state;
}

/** One backup's manifest and log, reloaded when anything happens to it; `watch` polls meanwhile. */
export function useBackupDetails(client: AgentClient, id: string, watch = false) {
  const manifest = useAsync(() => client.getBackup(id), [client, id]);
  const log = useAsync(() => client.getBackupLog(id), [client, id]);
  const offsite = useAsync(() => client.getBackupOffsite(id), [client, id]);
  const reload = () => {
    manifest.reload();
    log.reload();
    offsite.reload();
  };
  const live = useAgentEvents(client, (event) => {
    if (event.id === id && event.type !== 'run-progress') reload();
  });
  usePolling(reload, watch || manifest.value?.status === 'running' ? pollInterval(true, live) : null);
  return { manifest, log, offsite, reload };
}

import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { LoadingPlaceholder, Text, useStyles2 } from '@grafana/ui';
import type { ReactNode } from 'react';
import type { AgentClient } from '../shared/api/client';
import type { AgentConfig } from '../shared/api/settings';
import type { TargetInfo } from '../../backend/src/contract/index.js';
import { StreamBadge } from '../shared/components/Badges';
import { ErrorAlert } from '../shared/components/ErrorAlert';
import { useAgentStream } from '../shared/hooks/useAgentEvents';
import { useAgents, useClient } from '../features/agents/agents';
import { useTargets } from '../features/targets/useTargets';
import { pickAgent, type AgentPanelOptions } from './options';

interface Props extends AgentPanelOptions {
  children: (client: AgentClient, targets: TargetInfo[]) => ReactNode;
}

/** Resolves the panel's agent and targets, with the empty, loading and error states a panel needs. */
export function PanelTargets({ agent: slot, targets: names = [], children }: Props) {
  const agents = useAgents();
  if (agents.loading) return <LoadingPlaceholder text="Loading…" />;
  if (agents.error !== undefined) return <ErrorAlert error={agents.error} onRetry={agents.reload} />;
  const agent = pickAgent(agents.value ?? [], slot);
  if (!agent) {
    return (
      <PanelMessage>
        No Warden agent is configured. An organization admin adds one in the Warden app&apos;s configuration.
      </PanelMessage>
    );
  }
  return (
    <AgentTargets agent={agent} names={names}>
      {children}
    </AgentTargets>
  );
}

function AgentTargets({ agent, names, children }: { agent: AgentConfig; names: string[]; children: Props['children'] }) {
  const client = useClient(agent);
  const targets = useTargets(client);
  // Another subscriber of the agent's one stream, which useTargets already holds open.
  const stream = useAgentStream(client);
  const styles = useStyles2(getStyles);
  if (targets.loading) return <LoadingPlaceholder text={`Loading targets from ${agent.name}…`} />;
  if (!targets.value) return <ErrorAlert error={targets.error} agent={agent} onRetry={targets.reload} />;
  const shown = names.length ? targets.value.filter((t) => names.includes(t.name)) : targets.value;
  if (shown.length === 0) {
    return (
      <PanelMessage>
        {names.length
          ? `Agent "${agent.name}" has none of the chosen targets (${names.join(', ')}). Edit the panel to choose others.`
          : `Agent "${agent.name}" has no targets yet: add them to its configuration file.`}
      </PanelMessage>
    );
  }
  return (
    <>
      {children(client, shown)}
      <div className={styles.stream}>
        <StreamBadge state={stream} />
      </div>
    </>
  );
}

export function PanelMessage({ children }: { children: NonNullable<ReactNode> }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.message}>
      <Text color="secondary">{children}</Text>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  message: css({ padding: theme.spacing(1), textAlign: 'center' }),
  stream: css({ display: 'flex', justifyContent: 'flex-end', paddingTop: theme.spacing(0.5) }),
});

/** The panels' layout: one grid row per target, its columns given by the panel. */
export const targetRowStyles = (theme: GrafanaTheme2, columns: string) => ({
  panel: css({ overflow: 'auto' }),
  row: css({
    display: 'grid',
    gridTemplateColumns: columns,
    gap: theme.spacing(1),
    alignItems: 'center',
    padding: theme.spacing(0.5, 0),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
});

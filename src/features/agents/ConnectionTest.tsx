import { Alert, Button, Stack } from '@grafana/ui';
import { useState } from 'react';
import { AgentClient } from '../../shared/api/client';
import { normalizeUrl, type AgentConfig } from '../../shared/api/settings';
import type { TargetInfo } from '../../../backend/src/contract/index.js';
import { useAction } from '../../shared/hooks/useAction';
import { ErrorAlert } from '../../shared/components/ErrorAlert';

interface Props {
  /** the agent as saved: the test goes through its saved Grafana route */
  saved: AgentConfig | undefined;
  /** the URL as currently typed */
  url: string;
}

/** Health first, then the targets (which also proves the token when the agent protects reads). */
export function ConnectionTest({ saved, url }: Props) {
  const [result, setResult] = useState<string>();
  const test = useAction(async (agent: AgentConfig) => {
    const client = new AgentClient(agent);
    await client.health();
    return client.listTargets();
  });
  const unsaved = !saved || saved.url !== normalizeUrl(url);

  const run = async () => {
    setResult(undefined);
    const targets = saved && (await test.run(saved));
    if (targets) setResult(connected(targets));
  };

  return (
    <Stack direction="column" gap={1}>
      <Button
        variant="secondary"
        icon={test.pending ? 'fa fa-spinner' : 'heart-rate'}
        disabled={unsaved || test.pending}
        tooltip={unsaved ? 'Save first: the test goes through the saved Grafana route' : undefined}
        onClick={run}
      >
        Test connection
      </Button>
      {result && <Alert severity="success" title={result} />}
      {test.error !== undefined && <ErrorAlert error={test.error} agent={saved} />}
    </Stack>
  );
}

function connected(targets: TargetInfo[]): string {
  const names = targets.map((t) => t.name).join(', ') || 'none yet';
  return `Connected: ${targets.length} target${targets.length === 1 ? '' : 's'} (${names})`;
}

import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack, Text, useStyles2 } from '@grafana/ui';
import { useState } from 'react';
import { saveAppSettings } from '../../shared/api/client';
import {
  agentsFromJsonData,
  freeSlot,
  MAX_AGENTS,
  tokenKey,
  toJsonData,
  type AgentConfig,
  type AppJsonData,
} from '../../shared/api/settings';
import { useAction } from '../../shared/hooks/useAction';
import { isHttpUrl } from '../../shared/utils/url';
import { ConnectionTest } from './ConnectionTest';
import { ErrorAlert } from '../../shared/components/ErrorAlert';

type Props = PluginConfigPageProps<AppPluginMeta<AppJsonData>> & {
  /** Grafana hands the app its settings when the page loads: reload so every page sees the saved ones. */
  reload?: () => void;
};

interface Row extends AgentConfig {
  /** a new token typed in; never the saved one, which Grafana does not give back */
  token: string;
  tokenSaved: boolean;
  /** the agent as saved, for the connection test (which goes through the saved route) */
  saved?: AgentConfig;
}

/** Agents and their tokens. URLs go to jsonData, tokens to secureJsonData (encrypted, write-only). */
export function AppConfig({ plugin, reload = () => window.location.reload() }: Props) {
  const styles = useStyles2(getStyles);
  const { jsonData, secureJsonFields = {}, pinned } = plugin.meta;
  const initial = agentsFromJsonData(jsonData);
  const [rows, setRows] = useState<Row[]>(() =>
    initial.map((a) => ({ ...a, token: '', tokenSaved: Boolean(secureJsonFields[tokenKey(a.slot)]), saved: a })),
  );
  const save = useAction(() =>
    saveAppSettings({
      enabled: true,
      pinned: pinned ?? true,
      jsonData: toJsonData(rows),
      secureJsonData: secrets(rows, initial),
    }),
  );
  const problems = validate(rows);
  const slot = freeSlot(rows);

  const update = (index: number, change: Partial<Row>) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)));

  const onSave = async () => {
    if ((await save.run()) !== undefined) reload();
  };

  return (
    <Stack direction="column" gap={2}>
      <Text element="p">
        Each agent is a <code>warden serve</code> reachable from the Grafana server. Grafana proxies every call and
        adds the agent&apos;s API token; the token is encrypted and never sent back to browsers. Viewers can read,
        Editors can start backups and verify, Admins can also delete.
      </Text>
      {rows.length === 0 && (
        <Alert severity="info" title="No agent yet">
          Add the URL of a running <code>warden serve</code>, e.g. http://db-host:9207.
        </Alert>
      )}
      {rows.map((row, i) => (
        <FieldSet key={row.slot} label={`Agent ${row.name || i + 1}`} className={styles.agent}>
          <Field
            label="Name"
            description="How pages and panels name this agent"
            invalid={!row.name.trim()}
            error="A name is required"
          >
            <Input
              id={`agent-${row.slot}-name`}
              value={row.name}
              onChange={(e) => update(i, { name: e.currentTarget.value })}
              width={40}
            />
          </Field>
          <Field
            label="URL"
            description="Where Grafana reaches the agent"
            invalid={!isHttpUrl(row.url)}
            error="An http:// or https:// URL"
          >
            <Input
              id={`agent-${row.slot}-url`}
              value={row.url}
              placeholder="http://db-host:9207"
              onChange={(e) => update(i, { url: e.currentTarget.value })}
              width={60}
            />
          </Field>
          <Field label="API token" description="The agent's WARDEN_API_TOKEN (or api.tokenFile)">
            <SecretInput
              id={`agent-${row.slot}-token`}
              width={60}
              isConfigured={row.tokenSaved}
              value={row.token}
              onChange={(e) => update(i, { token: e.currentTarget.value })}
              onReset={() => update(i, { token: '', tokenSaved: false })}
            />
          </Field>
          <Stack direction="row" gap={1}>
            <ConnectionTest saved={row.saved} url={row.url} />
            <Button
              variant="destructive"
              fill="outline"
              icon="trash-alt"
              onClick={() => setRows(rows.filter((_, j) => j !== i))}
            >
              Remove
            </Button>
          </Stack>
        </FieldSet>
      ))}
      <Stack direction="row" gap={1}>
        <Button
          variant="secondary"
          icon="plus"
          disabled={slot === undefined}
          tooltip={slot === undefined ? `At most ${MAX_AGENTS} agents` : undefined}
          onClick={() => slot !== undefined && setRows([...rows, { slot, name: '', url: '', token: '', tokenSaved: false }])}
        >
          Add agent
        </Button>
        <Button icon={save.pending ? 'fa fa-spinner' : 'save'} disabled={problems.length > 0 || save.pending} onClick={onSave}>
          Save
        </Button>
      </Stack>
      {problems.length > 0 && <Text color="warning">{problems.join(' ')}</Text>}
      {save.error !== undefined && <ErrorAlert error={save.error} />}
    </Stack>
  );
}

function validate(rows: Row[]): string[] {
  const problems: string[] = [];
  if (rows.some((r) => !r.name.trim())) problems.push('Every agent needs a name.');
  if (new Set(rows.map((r) => r.name.trim())).size !== rows.length) problems.push('Agent names must differ.');
  if (rows.some((r) => !isHttpUrl(r.url))) problems.push('Every agent needs an http:// or https:// URL.');
  return problems;
}

/** New tokens, and empty ones for tokens reset or of removed agents, so no stale secret stays behind. */
function secrets(rows: Row[], initial: AgentConfig[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const a of initial) result[tokenKey(a.slot)] = '';
  for (const row of rows) {
    if (row.token) result[tokenKey(row.slot)] = row.token;
    else if (row.tokenSaved) delete result[tokenKey(row.slot)];
    else result[tokenKey(row.slot)] = '';
  }
  return result;
}

const getStyles = (theme: GrafanaTheme2) => ({
  agent: css({
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
});

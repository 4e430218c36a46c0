import { Alert, Button, Text } from '@grafana/ui';
import { describeError } from '../api/errors';
import type { AgentConfig } from '../api/settings';

interface Props {
  error: unknown;
  agent?: AgentConfig;
  onRetry?: () => void;
}

/** An error already put in words: what went wrong and what to do, with a retry. */
export function ErrorTextAlert({ title, hint, onRetry }: { title: string; hint: string; onRetry?: () => void }) {
  return (
    <Alert title={title} severity="error">
      <div>{hint}</div>
      {onRetry && (
        <Button size="sm" variant="secondary" icon="sync" onClick={onRetry} style={{ marginTop: 8 }}>
          Retry
        </Button>
      )}
    </Alert>
  );
}

/** An agent error in words that say what to do, with a retry. */
export function ErrorAlert({ error, agent, onRetry }: Props) {
  return <ErrorTextAlert {...describeError(error, agent)} onRetry={onRetry} />;
}

/** The same words in one small line, under the button that failed. */
export function InlineError({ error, agent }: Omit<Props, 'onRetry'>) {
  const { title, hint } = describeError(error, agent);
  return (
    <Text element="p" variant="bodySmall" color="error">
      {title}: {hint}
    </Text>
  );
}

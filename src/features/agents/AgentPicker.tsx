import { Field, Select } from '@grafana/ui';
import type { AgentConfig } from '../../shared/api/settings';

interface Props {
  agents: AgentConfig[];
  slot: number;
  onChange: (slot: number) => void;
}

/** Chooses among several agents; with one there is nothing to choose. */
export function AgentPicker({ agents, slot, onChange }: Props) {
  if (agents.length < 2) return null;
  return (
    <Field label="Agent">
      <Select
        inputId="agent-picker"
        width={24}
        options={agents.map((a) => ({ label: a.name, value: a.slot, description: a.url }))}
        value={slot}
        onChange={(o) => o.value !== undefined && onChange(o.value)}
      />
    </Field>
  );
}

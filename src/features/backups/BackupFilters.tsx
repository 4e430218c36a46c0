import { Field, RadioButtonGroup, Select, Stack } from '@grafana/ui';
import { RUN_STATUSES, type RunStatus } from '../../../backend/src/contract/index.js';

export interface Filter {
  target?: string;
  status?: RunStatus;
}

interface Props {
  targets: string[];
  value: Filter;
  onChange: (filter: Filter) => void;
}

const ALL = '';
const statusOptions = [{ label: 'All', value: ALL }, ...RUN_STATUSES.map((s) => ({ label: s, value: s }))];

export function BackupFilters({ targets, value, onChange }: Props) {
  const targetOptions = [{ label: 'All targets', value: ALL }, ...targets.map((t) => ({ label: t, value: t }))];
  return (
    <Stack direction="row" gap={2} wrap="wrap">
      <Field label="Target">
        <Select
          inputId="backup-filter-target"
          width={24}
          options={targetOptions}
          value={value.target ?? ALL}
          onChange={(o) => onChange({ ...value, target: o.value || undefined })}
        />
      </Field>
      <Field label="Status">
        <RadioButtonGroup
          options={statusOptions}
          value={value.status ?? ALL}
          onChange={(s) => onChange({ ...value, status: (s || undefined) as RunStatus | undefined })}
        />
      </Field>
    </Stack>
  );
}

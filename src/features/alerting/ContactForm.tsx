import { Button, Field, Input, Stack } from '@grafana/ui';
import { useState } from 'react';
import { contactPoint, ROUTING, type ContactValues } from './notifications';
import { EMPTY_VALUES, trimmed, validate, VALUE_FIELDS, VALUE_SLOTS, type ValueField } from './contactValues';

const FIELDS: Record<ValueField, { label: string; placeholder: string; width: number }> = {
  emails: { label: 'E-mail addresses', placeholder: 'oncall@example.com; dba@example.com', width: 60 },
  dingtalkUrl: { label: 'DingTalk webhook URL', placeholder: 'https://oapi.dingtalk.com/robot/send?access_token=…', width: 80 },
  webhookUrl: { label: 'Webhook URL', placeholder: 'https://hooks.example.com/warden', width: 80 },
};

const listed = (words: string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/** "Warden email, for critical and error alerts", after the routing table. */
function receives(field: ValueField): string {
  const keys = VALUE_SLOTS.filter((slot) => slot.field === field).map((slot) => slot.contact);
  const severities = Object.entries(ROUTING)
    .filter(([, contacts]) => contacts.some((key) => keys.includes(key)))
    .map(([severity]) => severity);
  return `${listed(keys.map((key) => contactPoint(key, EMPTY_VALUES).name))}, for ${listed(severities)} alerts`;
}

interface Props {
  initial: ContactValues;
  /** fields whose value Grafana keeps hidden: empty means keep it */
  stored: ReadonlySet<ValueField>;
  installing: boolean;
  onInstall: (values: ContactValues) => void;
}

/** Where Warden's contact points send; installing writes everything the status table lists. */
export function ContactForm({ initial, stored, installing, onInstall }: Props) {
  const [values, setValues] = useState(initial);
  // Problems show once the user typed into a field or tried to install, not on an empty form.
  const [submitted, setSubmitted] = useState(false);
  const problems = validate(values, stored);
  const valid = Object.keys(problems).length === 0;

  const submit = () => {
    setSubmitted(true);
    if (valid) onInstall(trimmed(values));
  };

  return (
    <form
      aria-label="Contact points"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {VALUE_FIELDS.map((field) => {
        const { label, placeholder, width } = FIELDS[field];
        const keep = stored.has(field) ? ' Grafana keeps the current value hidden: leave empty to keep it.' : '';
        return (
          <Field
            key={field}
            label={label}
            description={`${receives(field)}.${keep}`}
            invalid={problems[field] !== undefined && (submitted || values[field] !== '')}
            error={problems[field]}
          >
            <Input
              id={`alerting-${field}`}
              value={values[field]}
              placeholder={stored.has(field) ? 'configured' : placeholder}
              width={width}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setValues((current) => ({ ...current, [field]: value }));
              }}
            />
          </Field>
        );
      })}
      <Stack direction="row" gap={1}>
        <Button type="submit" icon={installing ? 'fa fa-spinner' : 'cloud-upload'} disabled={installing}>
          Install alerting
        </Button>
      </Stack>
    </form>
  );
}

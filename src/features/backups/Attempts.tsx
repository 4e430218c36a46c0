import { Card, Stack, Text } from '@grafana/ui';
import type { Attempt } from '../../../backend/src/contract/index.js';
import { formatTime } from '../../shared/utils/format';
import { ClassBadge } from '../../shared/components/Badges';

/** Every attempt of the run, each with its class and the hint for it. */
export function Attempts({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) return <p>No attempts recorded.</p>;
  return (
    <Stack direction="column" gap={1}>
      {attempts.map((a) => (
        <Card key={a.attempt}>
          <Card.Heading>
            Attempt {a.attempt} {a.class === 'none' ? '· succeeded' : ''}
          </Card.Heading>
          <Card.Meta>{[formatTime(a.startedAt), a.server]}</Card.Meta>
          {a.error && (
            <Card.Description>
              <Stack direction="column" gap={0.5}>
                <span>
                  <ClassBadge value={a.error.class} /> {a.error.hint}
                </span>
                <Text variant="bodySmall" color="secondary">
                  {a.error.code !== null && `[${a.error.code}] `}
                  {a.error.message}
                </Text>
              </Stack>
            </Card.Description>
          )}
        </Card>
      ))}
    </Stack>
  );
}

import { dateTimeFormat, dateTimeParse } from '@grafana/data';
import { Alert, Button, ConfirmModal, Field, Input, RadioButtonGroup, Stack, Text } from '@grafana/ui';
import { useState } from 'react';
import type { AgentClient } from '../../shared/api/client';
import type { RestoreToPointAnswer, TargetInfo } from '../../../backend/src/contract/index.js';
import { CommandLine } from '../../shared/components/CommandLine';
import { InlineError } from '../../shared/components/ErrorAlert';
import { useAction } from '../../shared/hooks/useAction';
import { useAsync } from '../../shared/hooks/useAsync';
import { userTimeZone } from '../../shared/utils/format';
import { isOrgAdmin } from '../../shared/utils/roles';
import { type ChosenPoint, restoreToPointCommandLine } from './command';

const FORMAT = 'YYYY-MM-DD HH:mm:ss';

/** A minute before now, but no later than the archive reaches. */
function defaultTime(recoverableTo: string | null, now = Date.now()): string {
  const at = Math.min(now - 60_000, recoverableTo ? Date.parse(recoverableTo) : Infinity);
  return dateTimeFormat(at, { timeZone: userTimeZone(), format: FORMAT });
}

/** The typed time, read in the user's Grafana time zone, as ISO 8601 UTC to the second; null when it is not one. */
function toIso(text: string): string | null {
  const d = dateTimeParse(text.trim(), { timeZone: userTimeZone(), format: FORMAT });
  return d.isValid() ? new Date(Math.floor(d.valueOf() / 1000) * 1000).toISOString().replace('.000Z', 'Z') : null;
}

interface Props {
  client: AgentClient;
  target: TargetInfo;
}

/**
 * The `warden restore --to` command for a time or GTID and a new database, for everyone to copy;
 * Admins can also send it to the agent: a dry run that shows the plan, then, once confirmed, the run.
 */
export function RestoreToTimeForm({ client, target }: Props) {
  const recoverableTo = target.binlog?.recoverableTo ?? null;
  const [kind, setKind] = useState<ChosenPoint['kind']>('time');
  const [time, setTime] = useState(() => defaultTime(recoverableTo));
  const [gtid, setGtid] = useState('');
  const [database, setDatabase] = useState('');
  const [confirming, setConfirming] = useState(false);
  const about = useAsync(() => client.agentInfo(), [client]);
  const backups = useAsync(() => client.listBackups({ target: target.name, status: 'success' }), [client, target.name]);
  const plan = useAction((dryRun: boolean) => client.restoreToPoint(backupId!, { ...body, database, dryRun }));
  const [sent, setSent] = useState<{ answer: RestoreToPointAnswer; inputs: string }>();

  const iso = toIso(time);
  const point: ChosenPoint = kind === 'time' ? { kind, iso: iso ?? time } : { kind, gtid: gtid.trim() };
  const body = kind === 'time' ? { to: iso ?? time } : { toGtid: gtid.trim() };
  const command = restoreToPointCommandLine({ target: target.name, point, database: database.trim(), configFile: about.value?.configFile ?? null });
  const beyond = kind === 'time' && iso !== null && recoverableTo !== null && Date.parse(iso) > Date.parse(recoverableTo);
  // Newest first: the newest good backup before the time (for a GTID, the newest; the agent checks either).
  const backupId = (backups.value ?? []).find((b) => kind === 'gtid' || (iso !== null && Date.parse(b.startedAt) <= Date.parse(iso)))?.id;
  const ready = backupId !== undefined && database.trim() !== '' && (kind === 'time' ? iso !== null : gtid.trim() !== '');
  // The real run is offered only for the inputs the shown dry run planned.
  const inputs = JSON.stringify({ backupId, body, database });
  const answer = sent?.answer;
  const planned = answer?.dryRun === true && sent?.inputs === inputs;

  const send = async (dryRun: boolean) => {
    setConfirming(false);
    setSent(undefined);
    const r = await plan.run(dryRun);
    if (r) setSent({ answer: r, inputs });
  };

  return (
    <section aria-label={`Restore ${target.name} to a point in time`}>
      <Stack direction="column" gap={1}>
        <Text element="h5">Restore to a point in time</Text>
        <Stack direction="row" gap={2} wrap="wrap" alignItems="flex-end">
          <Field label="Point" noMargin>
            <RadioButtonGroup
              size="sm"
              value={kind}
              options={[
                { label: 'Time', value: 'time' },
                { label: 'GTID', value: 'gtid' },
              ]}
              onChange={setKind}
            />
          </Field>
          {kind === 'time' ? (
            <Field label={`Time (${userTimeZone()})`} invalid={iso === null} error={iso === null ? `Expected ${FORMAT}` : undefined} noMargin>
              <Input aria-label="Time" value={time} width={24} onChange={(e) => setTime(e.currentTarget.value)} />
            </Field>
          ) : (
            <Field label="GTID" noMargin>
              <Input aria-label="GTID" value={gtid} width={30} placeholder="0-1-42" onChange={(e) => setGtid(e.currentTarget.value)} />
            </Field>
          )}
          <Field label="New database" noMargin>
            <Input aria-label="New database" value={database} width={24} placeholder="shop_restored" onChange={(e) => setDatabase(e.currentTarget.value)} />
          </Field>
        </Stack>
        {beyond && (
          <Alert severity="warning" title="Later than the archive reaches">
            The archive holds the binary logs up to {dateTimeFormat(recoverableTo!, { timeZone: userTimeZone(), format: FORMAT })}.
          </Alert>
        )}
        <CommandLine command={command} testId="pitr-command" />
        {isOrgAdmin() && (
          <Stack direction="column" gap={1}>
            <Stack direction="row" gap={1}>
              <Button size="sm" variant="secondary" icon="list-ul" disabled={!ready || plan.pending} onClick={() => send(true)}>
                Dry run
              </Button>
              <Button size="sm" variant="destructive" icon="history" disabled={!planned || plan.pending} tooltip={planned ? undefined : 'Run the dry run first'} onClick={() => setConfirming(true)}>
                Restore…
              </Button>
            </Stack>
            {plan.error !== undefined && <InlineError error={plan.error} agent={client.agent} />}
            {answer && <PlanView answer={answer} />}
            <ConfirmModal
              isOpen={confirming}
              title={`Restore ${answer?.sourceDatabase ?? ''} into ${database}?`}
              body={`The agent loads backup ${answer?.plan.backup.id ?? ''} into the new database ${database} on ${target.endpoint} and replays the binary logs to ${answer?.plan.point.value ?? ''}. The source database is not touched.`}
              confirmText="Restore"
              onConfirm={() => send(false)}
              onDismiss={() => setConfirming(false)}
            />
          </Stack>
        )}
      </Stack>
    </section>
  );
}

function PlanView({ answer }: { answer: RestoreToPointAnswer }) {
  const { plan } = answer;
  const last = plan.lastTransaction;
  return (
    <div data-testid="pitr-plan">
      <Text variant="bodySmall">
        {answer.dryRun ? 'Plan (nothing was changed): ' : 'Started: '}
        load backup {plan.backup.id} ({answer.sourceDatabase} as {answer.database}), replay {plan.files.length} binlog file(s)
        {last ? `, up to ${last.gtid ?? 'the transaction'} of ${last.time}` : ', no transaction after the backup'}.
      </Text>
    </div>
  );
}

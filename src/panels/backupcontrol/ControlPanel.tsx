import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Text, useStyles2 } from '@grafana/ui';
import type { VerifyLevel } from '../../../backend/src/contract/index.js';
import { TargetStateBadge } from '../../shared/components/Badges';
import { BackUpNowButton } from '../../features/targets/BackUpNowButton';
import { RunProgress } from '../../features/targets/RunProgress';
import { VerifyControls } from '../../features/backups/VerifyControls';
import type { AgentPanelOptions } from '../options';
import { PanelTargets, targetRowStyles } from '../PanelTargets';

export interface ControlOptions extends AgentPanelOptions {
  verifyLevel: VerifyLevel;
}

/** Buttons to back up a target or verify its newest good backup, with confirmation and progress. */
export function ControlPanel({ options, width, height }: PanelProps<ControlOptions>) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.panel} style={{ width, height }}>
      <PanelTargets agent={options.agent} targets={options.targets}>
        {(client, targets) =>
          targets.map((t) => (
            <div key={t.name} className={styles.row} data-testid={`control-${t.name}`}>
              <Text weight="medium">{t.name}</Text>
              <TargetStateBadge state={t.state} />
              <BackUpNowButton client={client} target={t} />
              {t.lastSuccess ? (
                <VerifyControls
                  client={client}
                  backupId={t.lastSuccess.id}
                  defaultLevel={options.verifyLevel}
                  fixedLevel
                  disabled={t.running !== null}
                />
              ) : (
                <Text variant="bodySmall" color="secondary">
                  nothing to verify yet
                </Text>
              )}
              {t.running && (
                <div className={styles.progress}>
                  <RunProgress running={t.running} />
                </div>
              )}
            </div>
          ))
        }
      </PanelTargets>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...targetRowStyles(theme, 'minmax(80px, 1fr) auto auto auto'),
  progress: css({ gridColumn: '1 / -1' }),
});

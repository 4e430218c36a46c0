import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Text, TextLink, useStyles2 } from '@grafana/ui';
import { TargetStateBadge } from '../../shared/components/Badges';
import { Freshness } from '../../features/targets/Freshness';
import { RunProgress } from '../../features/targets/RunProgress';
import { appUrl, ROUTES } from '../../constants';
import type { AgentPanelOptions } from '../options';
import { PanelTargets, targetRowStyles } from '../PanelTargets';

/** The state of the chosen targets at a glance. */
export function StatusPanel({ options, width, height }: PanelProps<AgentPanelOptions>) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.panel} style={{ width, height }}>
      <PanelTargets agent={options.agent} targets={options.targets}>
        {(_, targets) =>
          targets.map((t) => (
            <div key={t.name} className={styles.row} data-testid={`status-${t.name}`}>
              <TextLink href={appUrl(ROUTES.overview)} inline={false} weight="medium">
                {t.name}
              </TextLink>
              <TargetStateBadge state={t.state} />
              <Freshness lastSuccess={t.lastSuccess} rpoSeconds={t.rpoSeconds} />
              {t.running ? (
                <RunProgress running={t.running} />
              ) : t.state === 'failing' && t.lastFailure?.error ? (
                <Text color="error" variant="bodySmall">
                  {t.lastFailure.error.class}: {t.lastFailure.error.hint}
                </Text>
              ) : null}
            </div>
          ))
        }
      </PanelTargets>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  ...targetRowStyles(theme, 'minmax(80px, 1fr) auto minmax(120px, 1.5fr) minmax(0, 3fr)'),
});
